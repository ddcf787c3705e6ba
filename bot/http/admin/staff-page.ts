import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { OpenChannel } from '../../channels/channel-module.ts';
import { channelName } from '../../../core/inbound/inbound-texts.ts';
import type { ChannelName } from '../../../core/messages.ts';
import { addStaff, mayIssueLoginLink, StaffDirectoryError, STAFF_ROLES, updateStaff, type StaffRoleName } from '../../../core/staff/staff-directory.ts';
import { InvitationError, createStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { createLoginLink, type StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { channelUrlName, qrSvg } from './channel-links.ts';
import { accountChannels, accountForm, accountPickLists } from './staff-accounts.ts';
import { handoverForm, mayHandOver, registerStaffHandover } from './staff-handover.ts';
import { suggestSuccessor } from '../../../core/staff/customer-handover.ts';
import { may, staffSubject } from '../../../core/staff/authorization.ts';

const ROLES: Record<string, string> = { CONSULTANT: '销售顾问', MANAGER: '经理', FRONT_DESK: '前台', ADMIN: '管理员' };

/** A linked chat's channel as the page names it: a web link is always the staff console. */
const chatName = (channel: ChannelName): string => (channel === 'WEB' ? '网页工作台' : channelName(channel, 'zh-CN'));

type InvitingChannel = OpenChannel & Required<Pick<OpenChannel, 'invitationLink'>>;

/** The running channels that hand out staff invitations. */
const invitingChannels = (ctx: AppContext): InvitingChannel[] => ctx.channels.filter((c): c is InvitingChannel => c.invitationLink !== undefined);

async function staffPage(ctx: AppContext, staff: StaffPrincipal, extra: { flash?: { ok: boolean; text: string }; invitation?: SafeHtml } = {}): Promise<string> {
  const [members, store, handovers] = await Promise.all([
    ctx.db.staff.findMany({ where: { storeId: staff.storeId }, include: { channelLinks: true, _count: { select: { leads: true } } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } }),
    ctx.db.staffHandover.findMany({ where: { storeId: staff.storeId, closedAt: null }, include: { to: true } }),
  ]);
  const consultants = members.filter((m) => m.role === 'CONSULTANT' && m.active);
  const mayManage = (role: StaffRoleName) => may(staff, 'staff.manage', staffSubject(staff.storeId, role));
  const manages = STAFF_ROLES.some(mayManage);
  const button = (id: string, action: string, label: string, field?: string, value?: boolean | string) =>
    html`<form method="post" action="/admin/staff/${id}/${action}" class="inline">${field ? html`<input type="hidden" name="${field}" value="${String(value)}">` : ''}<button type="submit">${label}</button></form>`;
  const inviting = invitingChannels(ctx);
  const accounts = accountChannels(ctx);
  // A consultant who owns leads or is on WeCom leaves through the handover; anyone else is simply (de)activated.
  const deactivation = async (m: (typeof members)[number]) => {
    const handsOver = m.role === 'CONSULTANT' && mayHandOver(staff) && (m._count.leads > 0 || m.channelLinks.some((l) => l.channel === 'WECOM'));
    const openTo = handovers.find((h) => h.fromStaffId === m.id)?.to.name ?? null;
    if (!handsOver || (!m.active && m._count.leads === 0 && !openTo)) return button(m.id, 'update', m.active ? '停用' : '启用', 'active', !m.active);
    const form = handoverForm(m, { consultants, suggested: await suggestSuccessor(ctx.db, staff.storeId, m.id), openTo, leads: m._count.leads });
    return m.active ? form : html`${form}${button(m.id, 'update', '启用', 'active', true)}`;
  };
  const rows = await Promise.all(members.map(async (m) => {
    const chats = m.channelLinks.filter((l) => !l.blockedAt).map((l) => `${chatName(l.channel)}（${formatTime(l.lastSeenAt, store.timeZone)}）`).join('、') || '未绑定';
    const actions = mayManage(m.role) && m.id !== staff.staffId ? html`${m.active ? html`${button(m.id, 'login-links', '生成网页登录链接')}${inviting.map((c) => button(m.id, 'invitations', `生成 ${c.label} 邀请`, 'channel', channelUrlName(c.channel)))}
${m.role === 'CONSULTANT' ? html`${button(m.id, 'update', m.onDuty ? '设为休息' : '设为在岗', 'onDuty', !m.onDuty)}${button(m.id, 'update', m.senior ? '取消资深' : '设为资深', 'senior', !m.senior)}` : ''}` : ''}
${await deactivation(m)}
${m.active ? accounts.map((c) => accountForm(c, m.id, m.channelLinks.find((l) => l.channel === c.channel)?.externalId)) : ''}` : '';
    return html`<tr data-staff="${m.id}"><td>${m.name}</td><td>${ROLES[m.role] ?? m.role}${m.senior ? '（资深）' : ''}</td><td>${m.active ? (m.onDuty ? '在岗' : '休息') : '已停用'}</td><td>${chats}</td><td>${actions}</td></tr>`;
  }));
  const hint = ctx.channelsOff.flatMap((m) => (m.offers.staffInvitations && m.whenOff ? [html`<p>${m.label} 尚未连接，还不能邀请员工在 ${m.label} 上使用工作台命令和接收提醒。${m.whenOff.setupHint}</p>`] : []));
  const addForm = manages ? html`<form method="post" action="/admin/staff" class="search"><input name="name" maxlength="40" placeholder="姓名" aria-label="姓名" required>
<select name="role" aria-label="角色">${STAFF_ROLES.filter(mayManage).map((r) => html`<option value="${r}">${ROLES[r] ?? r}</option>`)}</select>
<label><input type="checkbox" name="senior" value="true"> 资深</label><button type="submit">添加员工</button></form>` : '';
  const pickLists = manages ? await accountPickLists(ctx) : [];
  const content = html`${extra.invitation ?? ''}${hint}${addForm}${pickLists}
<table><thead><tr><th>姓名</th><th>角色</th><th>状态</th><th>已绑定的聊天</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  return adminPage({ title: '员工与聊天绑定', staff, content, ...(extra.flash ? { flash: extra.flash } : {}) });
}

const DIRECTORY_REFUSALS: Record<string, [number, string]> = {
  not_allowed: [403, '超出您的权限：经理只能管理销售顾问和前台。'],
  name_invalid: [400, '请填写姓名（1–40 字）。'],
  role_invalid: [400, '请选择角色。'],
  staff_not_found: [404, '没有找到这位员工。'],
  not_yourself: [400, '不能停用自己的账号。'],
  has_customers: [409, '这位顾问还有客户（线索或企业微信客户）：请用“停用并转交客户”把客户交给另一位顾问，不能直接停用。'],
};

async function directoryRefusal(ctx: AppContext, staff: StaffPrincipal, reply: FastifyReply, error: unknown) {
  if (!(error instanceof StaffDirectoryError)) throw error;
  const [status, text] = DIRECTORY_REFUSALS[error.code] ?? [400, error.message];
  return reply.code(status).send(await staffPage(ctx, staff, { flash: { ok: false, text } }));
}

/**
 * `/admin/staff`: the store's staff and the chats they receive staff messages on; admins and
 * managers create one-time invitations on each running channel that has them (Telegram:
 * `/start staff_<token>`), shown once.
 */
export function registerStaffPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/staff', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(await staffPage(ctx, staff));
  });

  registerStaffHandover(app, ctx, (staff, flash) => staffPage(ctx, staff, { flash }));

  app.post('/admin/staff', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    reply.type('text/html; charset=utf-8');
    try {
      const added = await addStaff(ctx.db, ctx.clock, staff, { name: formText(body, 'name', { max: 100 }), role: formText(body, 'role', { max: 20 }), senior: body.senior === 'true' });
      const invitations = invitingChannels(ctx).map((c) => `或 ${c.label} 邀请`).join('');
      return reply.send(await staffPage(ctx, staff, { flash: { ok: true, text: `已添加${ROLES[added.role] ?? added.role}：${added.name}。可为其生成网页登录链接${invitations}。` } }));
    } catch (error) {
      return directoryRefusal(ctx, staff, reply, error);
    }
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/update', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const change = Object.fromEntries((['onDuty', 'senior', 'active'] as const).flatMap((f) => (body[f] === 'true' || body[f] === 'false' ? [[f, body[f] === 'true']] : [])));
    reply.type('text/html; charset=utf-8');
    if (Object.keys(change).length === 0) return reply.code(400).send(await staffPage(ctx, staff, { flash: { ok: false, text: '没有要修改的内容（onDuty、senior 或 active 要写 true 或 false）。' } }));
    try {
      const updated = await updateStaff(ctx.db, ctx.clock, staff, request.params.staffId, change);
      return reply.send(await staffPage(ctx, staff, { flash: { ok: true, text: `已更新：${updated.name}` } }));
    } catch (error) {
      return directoryRefusal(ctx, staff, reply, error);
    }
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/login-links', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    reply.type('text/html; charset=utf-8');
    if (!(await mayIssueLoginLink(ctx.db, staff, request.params.staffId))) {
      return reply.code(403).send(await staffPage(ctx, staff, { flash: { ok: false, text: '不能为这位员工生成登录链接（不存在、已停用，或超出您的权限）。' } }));
    }
    const token = await createLoginLink(ctx.db, ctx.clock, request.params.staffId, ctx.config.ADMIN_LINK_TTL_HOURS);
    const invitee = await ctx.db.staff.findUniqueOrThrow({ where: { id: request.params.staffId } });
    const link = `${ctx.publicBaseUrl}/admin/login/${token}`;
    const invitation = html`<section class="invitation"><h2>给 ${invitee.name} 的网页登录链接</h2>
<p>请 ${invitee.name} 在手机或电脑上打开，之后在“工作台”输入命令。链接只能使用一次，${ctx.config.ADMIN_LINK_TTL_HOURS} 小时内有效；本页关闭后不会再显示。</p><p class="link"><a href="${link}">${link}</a></p></section>`;
    return reply.send(await staffPage(ctx, staff, { invitation }));
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/invitations', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    reply.type('text/html; charset=utf-8');
    const channel = invitationChannel(ctx, (request.body ?? {}) as Record<string, unknown>);
    if (!channel) return reply.code(409).send(await staffPage(ctx, staff, { flash: { ok: false, text: '没有可以发送员工邀请的聊天渠道（尚未连接），无法生成邀请。' } }));
    try {
      const invitation = await invitationSection(ctx, staff, channel, request.params.staffId);
      return reply.send(await staffPage(ctx, staff, { invitation }));
    } catch (error) {
      if (!(error instanceof InvitationError)) throw error;
      const text = error.code === 'not_allowed' ? '只有管理员和经理可以邀请员工。' : '这位员工不存在或已停用。';
      return reply.code(error.code === 'not_allowed' ? 403 : 404).send(await staffPage(ctx, staff, { flash: { ok: false, text } }));
    }
  });
}

/** The channel an invitation is asked for (`channel`, e.g. telegram), or the only one that invites; null when none can. */
function invitationChannel(ctx: AppContext, body: Record<string, unknown>): InvitingChannel | null {
  const inviting = invitingChannels(ctx);
  if (typeof body.channel === 'string') return inviting.find((c) => channelUrlName(c.channel) === body.channel) ?? null;
  return inviting.length === 1 ? (inviting[0] ?? null) : null;
}

/** Creates a one-time invitation on the channel and shows it once: its link, its QR code and how to use it. */
async function invitationSection(ctx: AppContext, staff: StaffPrincipal, channel: InvitingChannel, staffId: string): Promise<SafeHtml> {
  const { token, expiresAt } = await createStaffInvitation(ctx.db, ctx.clock, staff, { staffId, channel: channel.channel });
  const invitee = await ctx.db.staff.findUniqueOrThrow({ where: { id: staffId } });
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const { url, howTo } = channel.invitationLink(token);
  ctx.logger.info({ staffId: invitee.id, by: staff.staffId, channel: channel.channel }, 'staff invitation created');
  return html`<section class="invitation"><h2>给 ${invitee.name} 的 ${channel.label} 邀请</h2>
<p>请 ${invitee.name} ${howTo}。链接只能使用一次，${formatTime(expiresAt, store.timeZone)} 前有效；本页关闭后不会再显示。</p>
<div class="qr small">${await qrSvg(url)}</div><p class="link"><a href="${url}">${url}</a></p></section>`;
}
