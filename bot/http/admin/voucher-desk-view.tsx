import type { PendingView } from '../../../core/registration/desk-confirmation.ts';
import { formatVoucherCode } from '../../../core/registration/voucher-code.ts';
import type { VoucherDeskView } from '../../../core/registration/voucher-desk-view.ts';
import type { VoucherView } from '../../../core/registration/voucher-desk.ts';
import type { WalkInDay } from '../../../core/registration/walk-in-parties.ts';
import { RETENTION_TARGET } from '../../../core/reports/reception-figures.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { EmptyState } from './ui/empty-state.tsx';
import type { Flash } from './ui/flash.ts';
import { formatTime, percent } from './ui/format.ts';
import { Hidden } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';
import { SearchForm } from './ui/search-form.tsx';
import { Table, type Column } from './ui/table.tsx';

export const VOUCHER_DESK_TITLE = '前台礼品核销';

function voucherColumns(timeZone: string): Column<VoucherView>[] {
  return [
    { label: '券码', cell: (v) => formatVoucherCode(v.code), class: 'code' },
    { label: '姓名', cell: (v) => v.customerName },
    { label: '手机', cell: (v) => v.maskedPhone },
    { label: '礼品', cell: (v) => v.giftName },
    { label: '登记时间', cell: (v) => formatTime(v.issuedAt, timeZone) },
    {
      label: '状态',
      cell: (v) =>
        v.redeemedAt ? (
          `已领取：${v.redeemedBy ?? '未知'}，${formatTime(v.redeemedAt, timeZone)}`
        ) : (
          <form method="post" action="/admin/vouchers/redeem">
            <Hidden name="code" value={v.code} />
            <button type="submit">核销</button>
          </form>
        ),
    },
  ];
}

function VoucherResults({ vouchers, timeZone }: { vouchers: VoucherView[]; timeZone: string }) {
  if (vouchers.length === 0) return <EmptyState text="没有找到匹配的礼品券，请核对券码或手机号。" />;
  return <Table columns={voucherColumns(timeZone)} rows={vouchers} rowAttributes={(v) => ({ 'data-code': v.code })} />;
}

/**
 * The walk-in counter: today's parties and registrations, the retention rate against its target,
 * "+1 组" (its form carries a one-time key, so a double press counts once) and "撤销上一次".
 */
function WalkInSection({ day, requestKey }: { day: WalkInDay; requestKey: string }) {
  const rate = day.parties === 0 ? '—' : percent(day.registrations / day.parties);
  return (
    <section class="section walk-in" data-walk-in-date={day.date}>
      <h2>今日进店登记</h2>
      <p>
        进店 <strong data-walk-in-parties>{day.parties}</strong> 组 · 登记{' '}
        <strong data-walk-in-registrations>{day.registrations}</strong> 人 · 留存率 <strong>{rate}</strong>
        （目标 {percent(RETENTION_TARGET)}）
      </p>
      <div class="actions">
        <form method="post" action="/admin/walk-ins">
          <Hidden name="requestKey" value={requestKey} />
          <button type="submit" class="count-party">
            +1 组进店
          </button>
        </form>
        <form method="post" action="/admin/walk-ins/withdraw">
          <button type="submit" class="secondary">
            撤销上一次（10 分钟内）
          </button>
        </form>
      </div>
      <p class="hint">每有一组客户（一起进店的一家人或朋友算一组）进店，点一次“+1 组进店”。</p>
    </section>
  );
}

const pendingColumns = (timeZone: string): Column<PendingView>[] => [
  { label: '填写的称呼', cell: (p) => p.name },
  { label: '手机', cell: (p) => p.maskedPhone },
  { label: '原因', cell: (p) => (p.reason === 'identity' ? '手机号已登记过，需核对本人' : '礼品发放暂停，需当面发放') },
  { label: '时间', cell: (p) => formatTime(p.createdAt, timeZone) },
  {
    label: '操作',
    cell: (p) => (
      <form method="post" action={`/admin/registrations/${p.id}/confirm`}>
        <button type="submit">已当面核对，确认并发券</button>
      </form>
    ),
  },
];

/**
 * Registrations the desk confirms in person. Check before confirming: the person shows the phone
 * with this number (e.g. call it and see it ring) — confirming links their chat to the customer
 * who has the number and hands them that customer's voucher.
 */
function PendingSection({ pending, timeZone }: { pending: PendingView[]; timeZone: string }) {
  if (pending.length === 0) return null;
  return (
    <section>
      <h2>待前台确认的登记</h2>
      <p>请先核对本人：请顾客出示该手机号的手机（例如拨打该号码看是否响铃），确认无误后再点击确认。</p>
      <Table columns={pendingColumns(timeZone)} rows={pending} rowAttributes={(p) => ({ 'data-pending': p.id })} />
    </section>
  );
}

/** The front desk: the voucher search and what it found, the walk-in counter, registrations to confirm. */
export function VoucherDeskPage(props: {
  staff: StaffPrincipal;
  view: VoucherDeskView;
  requestKey: string;
  flash: Flash | null;
}) {
  const { view } = props;
  return (
    <Layout title={VOUCHER_DESK_TITLE} staff={props.staff} flash={props.flash} current="/admin">
      <SearchForm action="/admin/vouchers" query={view.query} what="券码或手机号" />
      {view.vouchers ? <VoucherResults vouchers={view.vouchers} timeZone={view.timeZone} /> : null}
      <WalkInSection day={view.walkIn} requestKey={props.requestKey} />
      {view.pending ? <PendingSection pending={view.pending} timeZone={view.timeZone} /> : null}
    </Layout>
  );
}
