import type { ComponentChildren } from 'preact';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { TICKET_CATEGORIES, ticketCategoryLabel } from '../../../core/surveys/ticket-categories.ts';
import {
  CLOSED_DAYS,
  isOverdue,
  type TicketDetail,
  type TicketList,
  type TicketRow,
} from '../../../core/surveys/ticket-desk.ts';
import { customerLine, staffFactorLabel } from '../../../core/surveys/tickets.ts';
import { EmptyState } from './ui/empty-state.tsx';
import type { Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import type { FieldErrors, TypedValues } from './ui/form-schema.ts';
import { Form, SelectField, TextAreaField, TextField } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';
import { Table, type Column } from './ui/table.tsx';

export const TICKETS_TITLE = '回访与投诉';
const TYPE_LABELS = { RECALL: '回访召回', COMPLAINT: '客户投诉' } as const;
const STATUS_LABELS = { OPEN: '待接单', IN_PROGRESS: '处理中', CLOSED: '已结案' } as const;
const ACTION_LABELS: Record<string, string> = {
  'ticket.opened': '开单',
  'ticket.taken': '接单',
  'ticket.closed': '结案',
  'ticket.escalated': '超时升级',
  'ticket.categorized': '分类',
};
export const CLOSE_LABELS: Record<string, string> = {
  rootCause: '根本原因',
  actionTaken: '处理措施',
  outcome: '客户反馈结果',
  finalSatisfaction: '最终满意度',
  description: '描述',
};
const COMPLAINT_LABELS = { phone: '客户手机号', source: '来源', category: '投诉类别', description: '投诉内容' };

/** What was typed into a refused form, and per field what is wrong. */
export interface Refusal {
  typed: TypedValues;
  errors: FieldErrors;
}

const categoryChoices = [
  { value: '', label: '请选择' },
  ...TICKET_CATEGORIES.map((c) => ({ value: c, label: ticketCategoryLabel(c) })),
];
const scoreText = (t: TicketRow): string =>
  t.type === 'RECALL' ? `${t.score ?? '-'} 分 · ${staffFactorLabel(t.factor)}` : ticketCategoryLabel(t.category);

function Due({ ticket: t, now, timeZone }: { ticket: TicketRow; now: Date; timeZone: string }) {
  if (t.type === 'COMPLAINT' && t.takenAt) return <>已接单</>;
  return (
    <>
      {formatTime(t.dueAt, timeZone)} 前{t.type === 'RECALL' ? '结案' : '接单'}
      {isOverdue(t, now) ? (
        <>
          {' '}
          <strong class="field-error" data-overdue={t.id}>
            已超时
          </strong>
        </>
      ) : null}
    </>
  );
}

function ticketColumns(list: TicketList): Column<TicketRow>[] {
  const { now, timeZone } = list;
  return [
    { label: '编号', cell: (t) => <a href={`/admin/tickets/${t.id}`}>{t.reference}</a> },
    { label: '类型', cell: (t) => TYPE_LABELS[t.type] },
    { label: '客户', cell: (t) => customerLine(t.customer) },
    { label: '销售顾问', cell: (t) => t.consultant?.name ?? '—' },
    { label: '评分 · 环节 / 投诉类别', cell: scoreText },
    { label: '创建', cell: (t) => formatTime(t.createdAt, timeZone) },
    { label: '期限', cell: (t) => <Due ticket={t} now={now} timeZone={timeZone} /> },
    { label: '升级', cell: (t) => (t.escalatedAt ? formatTime(t.escalatedAt, timeZone) : '—') },
    { label: '负责人', cell: (t) => t.owner?.name ?? '无人接单' },
    { label: '状态', cell: (t) => STATUS_LABELS[t.status] },
  ];
}

/**
 * The form staff open a complaint with by hand: the customer's number (optional), how it came, its category, what
 * happened.
 */
function ComplaintForm({ refusal }: { refusal: Refusal | null }) {
  const typed = refusal?.typed ?? {};
  return (
    <Form
      action="/admin/tickets"
      class="open-complaint"
      labels={COMPLAINT_LABELS}
      errors={refusal?.errors}
      submit="登记投诉"
    >
      <TextField
        name="phone"
        label="客户手机号（可不填）"
        type="tel"
        value={typed.phone}
        maxLength={20}
        errors={refusal?.errors}
      />
      <SelectField
        name="source"
        label="来源"
        value={typed.source ?? 'phone'}
        errors={refusal?.errors}
        options={[
          { value: 'phone', label: '电话' },
          { value: 'walk_in', label: '到店' },
        ]}
      />
      <SelectField
        name="category"
        label="投诉类别"
        value={typed.category ?? ''}
        errors={refusal?.errors}
        options={categoryChoices}
      />
      <TextAreaField
        name="description"
        label="投诉内容（必填）"
        value={typed.description}
        maxLength={2000}
        errors={refusal?.errors}
        required
      />
    </Form>
  );
}

/** `/admin/tickets`: the store's open recalls and complaints, those closed lately, and the complaint form. */
export function TicketListPage(props: {
  staff: StaffPrincipal;
  list: TicketList;
  flash: Flash | null;
  refusal: Refusal | null;
}) {
  const { list } = props;
  const columns = ticketColumns(list);
  const rows = (tickets: TicketRow[]) => (
    <Table class="tickets" columns={columns} rows={tickets} rowAttributes={(t) => ({ 'data-ticket': t.id })} />
  );
  return (
    <Layout title={TICKETS_TITLE} staff={props.staff} flash={props.flash} current="/admin/tickets">
      <details class="section new-complaint" open={props.refusal !== null}>
        <summary>登记投诉（电话或到店）</summary>
        <ComplaintForm refusal={props.refusal} />
      </details>
      <h2>待处理（{list.open.length}）</h2>
      {list.open.length === 0 ? <EmptyState text="没有待处理的回访召回或客户投诉。" /> : rows(list.open)}
      <h2>
        近 {CLOSED_DAYS} 天已结案（{list.closed.length}）
      </h2>
      {list.closed.length === 0 ? <EmptyState text={`近 ${CLOSED_DAYS} 天没有结案的工单。`} /> : rows(list.closed)}
    </Layout>
  );
}

function auditDetails(action: string, raw: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  switch (action) {
    case 'ticket.opened': {
      const factor = staffFactorLabel(typeof d.factor === 'string' ? d.factor : null);
      if (d.type === 'RECALL') return `回访评分 ${String(d.score ?? '-')} 分，不满意环节：${factor}`;
      const category = typeof d.category === 'string' ? `，类别：${ticketCategoryLabel(d.category)}` : '';
      return `来源：${String(d.source ?? '')}${category}`;
    }
    case 'ticket.taken':
      return `开单后 ${String(d.minutesAfterOpening ?? '-')} 分钟接单`;
    case 'ticket.closed':
      return `最终满意度 ${d.finalSatisfaction == null ? '未填' : String(d.finalSatisfaction)}${d.reSurvey ? '，已安排重新回访' : ''}`;
    case 'ticket.escalated':
      return d.to === 'general_manager' ? '已升级至总经理' : '已升级至经理';
    case 'ticket.categorized':
      return `类别：${ticketCategoryLabel(typeof d.after === 'string' ? d.after : null)}`;
    default:
      return raw;
  }
}

function CloseForm({ ticket, refusal }: { ticket: TicketRow; refusal: Refusal | null }) {
  const typed = refusal?.typed ?? {};
  const area = (name: 'rootCause' | 'actionTaken' | 'outcome') => (
    <TextAreaField
      name={name}
      label={`${CLOSE_LABELS[name]}（必填）`}
      value={typed[name]}
      maxLength={2000}
      errors={refusal?.errors}
      required
    />
  );
  return (
    <Form
      action={`/admin/tickets/${ticket.id}/close`}
      class="close-ticket section"
      labels={CLOSE_LABELS}
      errors={refusal?.errors}
      submit="结案"
    >
      <h2>结案</h2>
      {area('rootCause')}
      {area('actionTaken')}
      {area('outcome')}
      <TextField
        name="finalSatisfaction"
        label="最终满意度（1–10，可不填）"
        value={typed.finalSatisfaction}
        maxLength={2}
        errors={refusal?.errors}
      />
      {ticket.customerId ? (
        <label class="check">
          <input
            type="checkbox"
            name="reSurvey"
            value="1"
            checked={typed.reSurvey !== undefined && typed.reSurvey !== ''}
          />{' '}
          重新回访（明天再次邀请客户评分）
        </label>
      ) : null}
    </Form>
  );
}

/** One ticket with everything about it, its audit trail, and the take, category and close forms while open. */
export function TicketPage(props: {
  staff: StaffPrincipal;
  detail: TicketDetail;
  flash: Flash | null;
  refusal: Refusal | null;
}) {
  const { ticket: t, trail, timeZone: zone, now } = props.detail;
  const open = t.status !== 'CLOSED';
  const rows: [string, ComponentChildren][] = [
    ['编号', t.reference],
    ['类型', TYPE_LABELS[t.type]],
    ['状态', STATUS_LABELS[t.status]],
    ['客户', customerLine(t.customer)],
    ['销售顾问', t.consultant?.name ?? '未指定'],
    ...(t.type === 'RECALL'
      ? ([
          ['回访评分', t.score === null ? null : `${t.score} 分`],
          ['不满意环节', staffFactorLabel(t.factor)],
          ...(t.survey
            ? [['回访问卷', `当前评分 ${t.survey.score ?? '-'} 分，客户留言：${t.survey.comment ?? '（无）'}`]]
            : []),
        ] as [string, ComponentChildren][])
      : []),
    ...(t.type === 'COMPLAINT'
      ? ([
          [
            '投诉类别',
            open ? (
              <form class="inline-form" method="post" action={`/admin/tickets/${t.id}/category`}>
                <select name="category" aria-label="投诉类别">
                  {categoryChoices.map((c) => (
                    <option value={c.value} selected={c.value === (t.category ?? '')}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <button type="submit" class="secondary">
                  保存类别
                </button>
              </form>
            ) : (
              ticketCategoryLabel(t.category)
            ),
          ],
        ] as [string, ComponentChildren][])
      : []),
    [t.type === 'RECALL' ? '说明' : '投诉内容', <span class="pre">{t.description}</span>],
    ['创建时间', formatTime(t.createdAt, zone)],
    ['期限', <Due ticket={t} now={now} timeZone={zone} />],
    ['超时升级', t.escalatedAt ? formatTime(t.escalatedAt, zone) : '未升级'],
    ['负责人', t.owner ? `${t.owner.name}（${t.takenAt ? formatTime(t.takenAt, zone) : ''} 接单）` : '无人接单'],
    ...(open
      ? []
      : ([
          ['根本原因', t.rootCause],
          ['处理措施', t.actionTaken],
          ['客户反馈结果', t.outcome],
          ['最终满意度', t.finalSatisfaction],
          ['结案', `${t.closedBy?.name ?? '—'} · ${t.closedAt ? formatTime(t.closedAt, zone) : ''}`],
        ] as [string, ComponentChildren][])),
  ];
  return (
    <Layout title={`工单 ${t.reference}`} staff={props.staff} flash={props.flash} current="/admin/tickets">
      <p>
        <a href="/admin/tickets">← 返回工单列表</a>
      </p>
      <dl class="facts section ticket" data-ticket={t.id}>
        {rows.map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{value ?? '—'}</dd>
          </>
        ))}
      </dl>
      {open && !t.ownerStaffId ? (
        <form class="take-ticket" method="post" action={`/admin/tickets/${t.id}/take`}>
          <button type="submit">接单</button>
        </form>
      ) : null}
      {open ? <CloseForm ticket={t} refusal={props.refusal} /> : null}
      <h2>操作记录</h2>
      <ul class="audit">
        {trail.map((a) => (
          <li>
            <small>
              {formatTime(a.at, zone)} · {a.actor?.name ?? '系统'} · {ACTION_LABELS[a.action] ?? a.action} ·{' '}
              {auditDetails(a.action, a.details)}
            </small>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
