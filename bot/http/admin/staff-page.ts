import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context.ts';
import { INVITATION_PREFIX, InvitationError, createStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { telegramDeepLink } from './qr-codes-page.ts';

const ROLES: Record<string, string> = { CONSULTANT: '销售顾问', MANAGER: '经理', FRONT_DESK: '前台', ADMIN: '管理员' };
const CHANNELS: Record<string, string> = { WEB: '网页工作台', TELEGRAM: 'Telegram', WECOM: '企业微信' };

async function staffPage(ctx: AppContext, staff: StaffPrincipal, extra: { flash?: { ok: boolean; text: string }; invitation?: SafeHtml } = {}): Promise<string> {
  const [members, store] = await Promise.all([
    ctx.db.staff.findMany({ where: { storeId: staff.storeId }, include: { channelLinks: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } }),
  ]);
  const canInvite = (staff.role === 'ADMIN' || staff.role === 'MANAGER') && ctx.telegramBotUsername !== null;
  const rows = members.map((m) => {
    const chats = m.channelLinks.filter((l) => !l.blockedAt).map((l) => `${CHANNELS[l.channel] ?? l.channel}（${formatTime(l.lastSeenAt, store.timeZone)}）`).join('、') || '未绑定';
    const invite = canInvite && m.active ? html`<form method="post" action="/admin/staff/${m.id}/invitations"><button type="submit">生成 Telegram 邀请</button></form>` : '';
    return html`<tr data-staff="${m.id}"><td>${m.name}</td><td>${ROLES[m.role] ?? m.role}${m.senior ? '（资深）' : ''}</td><td>${m.active ? (m.onDuty ? '在岗' : '休息') : '已停用'}</td><td>${chats}</td><td>${invite}</td></tr>`;
  });
  const hint = ctx.telegramBotUsername ? '' : html`<p>Telegram 尚未连接：设置 <code>TELEGRAM_BOT_TOKEN</code> 后可邀请员工在 Telegram 上使用工作台命令和接收提醒。</p>`;
  const content = html`${extra.invitation ?? ''}${hint}
<table><thead><tr><th>姓名</th><th>角色</th><th>状态</th><th>已绑定的聊天</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  return adminPage({ title: '员工与聊天绑定', staff, content, ...(extra.flash ? { flash: extra.flash } : {}) });
}

/**
 * `/admin/staff`: the store's staff and the chats they receive staff messages on; admins and
 * managers create one-time Telegram invitations (`/start staff_<token>`), shown once.
 */
export function registerStaffPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/staff', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(await staffPage(ctx, staff));
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/invitations', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    reply.type('text/html; charset=utf-8');
    const bot = ctx.telegramBotUsername;
    if (!bot) return reply.code(409).send(await staffPage(ctx, staff, { flash: { ok: false, text: 'Telegram 尚未连接，无法生成邀请。' } }));
    try {
      const { token, expiresAt } = await createStaffInvitation(ctx.db, ctx.clock, staff, { staffId: request.params.staffId, channel: 'TELEGRAM' });
      const invitee = await ctx.db.staff.findUniqueOrThrow({ where: { id: request.params.staffId } });
      const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
      const link = telegramDeepLink(bot, `${INVITATION_PREFIX}${token}`);
      const qr = trusted(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
      const invitation = html`<section class="invitation"><h2>给 ${invitee.name} 的 Telegram 邀请</h2>
<p>请 ${invitee.name} 用手机扫码或打开下面的链接，在 Telegram 里点“开始”。链接只能使用一次，${formatTime(expiresAt, store.timeZone)} 前有效；本页关闭后不会再显示。</p>
<div class="qr small">${qr}</div><p class="link"><a href="${link}">${link}</a></p></section>`;
      ctx.logger.info({ staffId: invitee.id, by: staff.staffId }, 'staff invitation created');
      return reply.send(await staffPage(ctx, staff, { invitation }));
    } catch (error) {
      if (!(error instanceof InvitationError)) throw error;
      const text = error.code === 'not_allowed' ? '只有管理员和经理可以邀请员工。' : '这位员工不存在或已停用。';
      return reply.code(error.code === 'not_allowed' ? 403 : 404).send(await staffPage(ctx, staff, { flash: { ok: false, text } }));
    }
  });
}
