import { channelName } from '../../../core/inbound/inbound-texts.ts';
import type { ChannelName } from '../../../core/messages.ts';
import { STAFF_ROLES, type StaffRoleName } from '../../../core/staff/staff-directory.ts';
import type { StaffList, StaffMember } from '../../../core/staff/staff-list.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import type { SafeHtml } from '../html.ts';
import { ConfirmButton } from './ui/confirm-button.tsx';
import type { Flash, ShownOnce } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import type { FieldErrors, TypedValues } from './ui/form-schema.ts';
import { Form, Hidden, SelectField, TextField } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';
import { Table, type Column } from './ui/table.tsx';
import { TrustedHtml } from './ui/trusted-html.tsx';

export const ROLE_LABELS: Record<string, string> = {
  CONSULTANT: '销售顾问',
  MANAGER: '经理',
  FRONT_DESK: '前台',
  ADMIN: '管理员',
};
const ADD_LABELS = { name: '姓名', role: '角色' };

/** A linked chat's channel as the page names it: a web link is always the staff console. */
const chatName = (channel: ChannelName): string => (channel === 'WEB' ? '网页工作台' : channelName(channel, 'zh-CN'));

/** A running channel that hands out staff invitations, by its URL name. */
export interface InvitingChannel {
  urlName: string;
  label: string;
}

/** A running channel whose staff are linked by typing their account (WeCom userids), with its members to pick from. */
export interface AccountChannel {
  channel: ChannelName;
  urlName: string;
  label: string;
  placeholder: string;
  members: { id: string; name: string }[];
}

export interface StaffPageProps {
  staff: StaffPrincipal;
  list: StaffList;
  /** The roles the signed-in staff member may add and manage (core's staff.manage). */
  manages: readonly StaffRoleName[];
  handsOver: boolean;
  inviting: InvitingChannel[];
  accounts: AccountChannel[];
  /** How to switch on each channel that offers invitations but is off. */
  off: { label: string; setupHint: SafeHtml }[];
  /** The one-time link of the action just done, and its QR code (drawn by the route). */
  shown: { link: ShownOnce; svg: SafeHtml | null } | null;
  flash: Flash | null;
  refusal: { typed: TypedValues; errors: FieldErrors } | null;
}

/** A one-time link with how to use it, shown once. */
function ShownLink({ link, svg }: { link: ShownOnce; svg: SafeHtml | null }) {
  return (
    <section class="section invitation">
      <h2>{link.title}</h2>
      <p>{link.howTo}</p>
      {svg ? <TrustedHtml markup={svg} /> : null}
      <p class="link">
        <a href={link.url}>{link.url}</a>
      </p>
    </section>
  );
}

/** A one-button form posting to one of the member's actions. */
function ActionButton(props: { id: string; action: string; label: string; field?: string; value?: string }) {
  return (
    <form method="post" action={`/admin/staff/${props.id}/${props.action}`}>
      {props.field ? <Hidden name={props.field} value={props.value ?? ''} /> : null}
      <button type="submit" class="secondary">
        {props.label}
      </button>
    </form>
  );
}

/** Leaving: a consultant with customers is deactivated through a handover to a successor; anyone else is simply (de)activated. */
function Deactivation({ member: m, props }: { member: StaffMember; props: StaffPageProps }) {
  const { list } = props;
  const leaves = m.role === 'CONSULTANT' && props.handsOver && list.successors.has(m.id);
  const openTo = list.openTo.get(m.id) ?? null;
  const toggle = m.active ? (
    <ConfirmButton action={`/admin/staff/${m.id}/update`} label="停用" question={`停用后 ${m.name} 不能再登录。`}>
      <Hidden name="active" value="false" />
    </ConfirmButton>
  ) : (
    <ActionButton id={m.id} action="update" label="启用" field="active" value="true" />
  );
  if (!leaves || (!m.active && m._count.leads === 0 && !openTo)) return toggle;
  return (
    <>
      <Handover member={m} list={list} openTo={openTo} />
      {m.active ? null : <ActionButton id={m.id} action="update" label="启用" field="active" value="true" />}
    </>
  );
}

/** A consultant's handover: the successor to pick (the suggested one first chosen), confirmed; while one is open, where it goes. */
function Handover({ member: m, list, openTo }: { member: StaffMember; list: StaffList; openTo: string | null }) {
  if (openTo) return <small>客户正在转交给 {openTo}</small>;
  const others = list.members.filter((c) => c.role === 'CONSULTANT' && c.active && c.id !== m.id);
  if (others.length === 0) return <small>本店没有其他在职顾问可以接手{m.name}的客户</small>;
  const suggested = list.successors.get(m.id) ?? null;
  const label = m.active ? `停用并转交客户（${m._count.leads} 条线索）` : `转交客户（${m._count.leads} 条线索）`;
  const question = `${m.name} 的线索、待办、未交车订单和二维码来源会转给所选顾问。`;
  return (
    <ConfirmButton action={`/admin/staff/${m.id}/handover`} label={label} question={question}>
      <select name="toStaffId" aria-label="接手顾问">
        {others.map((c) => (
          <option value={c.id} selected={c.id === suggested?.id}>
            {c.name}
            {c.id === suggested?.id ? '（建议：线索最少）' : ''}
          </option>
        ))}
      </select>
    </ConfirmButton>
  );
}

function MemberActions({ member: m, props }: { member: StaffMember; props: StaffPageProps }) {
  if (!props.manages.includes(m.role) || m.id === props.staff.staffId) return null;
  return (
    <div class="actions">
      {m.active ? (
        <>
          <ActionButton id={m.id} action="login-links" label="生成网页登录链接" />
          {props.inviting.map((c) => (
            <ActionButton
              id={m.id}
              action="invitations"
              label={`生成 ${c.label} 邀请`}
              field="channel"
              value={c.urlName}
            />
          ))}
          {m.role === 'CONSULTANT' ? (
            <>
              <ActionButton
                id={m.id}
                action="update"
                label={m.onDuty ? '设为休息' : '设为在岗'}
                field="onDuty"
                value={String(!m.onDuty)}
              />
              <ActionButton
                id={m.id}
                action="update"
                label={m.senior ? '取消资深' : '设为资深'}
                field="senior"
                value={String(!m.senior)}
              />
            </>
          ) : null}
        </>
      ) : null}
      <Deactivation member={m} props={props} />
      {m.active
        ? props.accounts.map((c) => (
            <form method="post" action={`/admin/staff/${m.id}/accounts/${c.urlName}`} class="inline-form">
              <input
                name="externalId"
                maxLength={64}
                pattern="[A-Za-z0-9_.@\-]{1,64}"
                value={m.channelLinks.find((l) => l.channel === c.channel)?.externalId ?? ''}
                list={`accounts-${c.urlName}`}
                placeholder={c.placeholder}
                aria-label={c.label}
              />
              <button type="submit" class="secondary">
                保存{c.label}
              </button>
            </form>
          ))
        : null}
    </div>
  );
}

/**
 * `/admin/staff`: the store's staff and the chats they receive staff messages on; admins and
 * managers add staff, hand out one-time sign-in links and chat invitations, and hand a leaving
 * consultant's customers over.
 */
export function StaffPage(props: StaffPageProps) {
  const { list, refusal } = props;
  const columns: Column<StaffMember>[] = [
    { label: '姓名', cell: (m) => m.name },
    { label: '角色', cell: (m) => `${ROLE_LABELS[m.role] ?? m.role}${m.senior ? '（资深）' : ''}` },
    { label: '状态', cell: (m) => (m.active ? (m.onDuty ? '在岗' : '休息') : '已停用') },
    {
      label: '已绑定的聊天',
      cell: (m) =>
        m.channelLinks
          .filter((l) => !l.blockedAt)
          .map((l) => `${chatName(l.channel)}（${formatTime(l.lastSeenAt, list.timeZone)}）`)
          .join('、') || '未绑定',
    },
    { label: '操作', cell: (m) => <MemberActions member={m} props={props} /> },
  ];
  return (
    <Layout title="员工与聊天绑定" staff={props.staff} flash={props.flash} current="/admin/staff">
      {props.shown ? <ShownLink link={props.shown.link} svg={props.shown.svg} /> : null}
      {props.off.map((m) => (
        <div class="hint">
          {m.label} 尚未连接，还不能邀请员工在 {m.label} 上使用工作台命令和接收提醒。
          <TrustedHtml markup={m.setupHint} />
        </div>
      ))}
      {props.manages.length > 0 ? (
        <details class="section add-staff" open={refusal !== null}>
          <summary>添加员工</summary>
          <Form action="/admin/staff" class="columns" labels={ADD_LABELS} errors={refusal?.errors} submit="添加员工">
            <TextField
              name="name"
              label="姓名"
              value={refusal?.typed.name}
              maxLength={40}
              errors={refusal?.errors}
              required
            />
            <SelectField
              name="role"
              label="角色"
              value={refusal?.typed.role ?? 'CONSULTANT'}
              errors={refusal?.errors}
              options={STAFF_ROLES.filter((r) => props.manages.includes(r)).map((r) => ({
                value: r,
                label: ROLE_LABELS[r] ?? r,
              }))}
            />
            <label class="check">
              <input type="checkbox" name="senior" value="true" checked={refusal?.typed.senior === 'true'} /> 资深
            </label>
          </Form>
        </details>
      ) : null}
      {props.manages.length > 0
        ? props.accounts.map((c) => (
            <datalist id={`accounts-${c.urlName}`}>
              {c.members.map((m) => (
                <option value={m.id}>{m.name}</option>
              ))}
            </datalist>
          ))
        : null}
      <Table class="staff" columns={columns} rows={list.members} rowAttributes={(m) => ({ 'data-staff': m.id })} />
    </Layout>
  );
}
