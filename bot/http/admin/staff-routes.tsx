// The staff page's routes. A consultant leaves through a handover: a manager or admin of the store
// deactivates them and hands their customers to another consultant in one step (the successor
// suggested: the one with the fewest open leads). The store's data moves at once
// (core/staff/customer-handover.ts); each running channel with a part in it (WeCom 客户继承) then
// moves the platform's side.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { CustomerHandoverPart, OpenChannel } from '../../channels/channel-module.ts';
import { may, staffSubject } from '../../../core/staff/authorization.ts';
import {
  closeHandover,
  handOverCustomers,
  HandoverError,
  openHandover,
  type HandoverResult,
} from '../../../core/staff/customer-handover.ts';
import { linkStaffAccount, StaffAccountError } from '../../../core/staff/link-staff-account.ts';
import {
  addStaff,
  mayIssueLoginLink,
  STAFF_ROLES,
  StaffDirectoryError,
  updateStaff,
} from '../../../core/staff/staff-directory.ts';
import { createStaffInvitation, InvitationError } from '../../../core/staff/staff-invitations.ts';
import { readStaffList } from '../../../core/staff/staff-list.ts';
import { createLoginLink, type StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { channelUrlName, qrSvg } from './channel-links.ts';
import { ROLE_LABELS, StaffPage } from './staff-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import { oneOf, readFields, text, type FieldErrors, type TypedValues } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';

type InvitingChannel = OpenChannel & Required<Pick<OpenChannel, 'invitationLink'>>;
type AccountChannel = OpenChannel & Required<Pick<OpenChannel, 'staffAccounts'>>;

/** The running channels that hand out staff invitations. */
const invitingChannels = (ctx: AppContext): InvitingChannel[] =>
  ctx.channels.filter((c): c is InvitingChannel => c.invitationLink !== undefined);
/** The running channels whose staff are linked by typing their account id (WeCom userids). */
const accountChannels = (ctx: AppContext): AccountChannel[] =>
  ctx.channels.filter((c): c is AccountChannel => c.staffAccounts !== undefined);
/** The running channels' parts in handovers. */
const handoverParts = (ctx: AppContext): CustomerHandoverPart[] =>
  ctx.channels.flatMap((c) => (c.customerHandover ? [c.customerHandover] : []));

/** Per refusal: the status, the field of the add form it is about (if any), what to do. */
const DIRECTORY_REFUSALS: Record<StaffDirectoryError['code'], [number, string | null, string]> = {
  not_allowed: [403, null, '超出您的权限：经理只能管理销售顾问和前台。'],
  name_invalid: [400, 'name', '请填写姓名（1–40 字）。'],
  role_invalid: [400, 'role', '请选择角色。'],
  staff_not_found: [404, null, '没有找到这位员工。'],
  not_yourself: [400, null, '不能停用自己的账号。'],
  has_customers: [
    409,
    null,
    '这位顾问还有客户（线索或企业微信客户）：请用“停用并转交客户”把客户交给另一位顾问，不能直接停用。',
  ],
};
const HANDOVER_REFUSALS: Record<HandoverError['code'], [number, string]> = {
  not_allowed: [403, '只有本店的经理或管理员可以转交顾问的客户。'],
  from_invalid: [404, '没有找到这位销售顾问。'],
  to_invalid: [400, '请选择本店另一位在职的销售顾问来接手。'],
};
const ACCOUNT_REFUSALS: Record<StaffAccountError['code'], [number, string]> = {
  not_allowed: [403, '超出您的权限：经理只能管理销售顾问和前台。'],
  staff_invalid: [404, '这位员工不存在或已停用。'],
  account_invalid: [400, '账号只能包含字母、数字和 _ . @ -，最长 64 个字符（企业微信：通讯录 → 成员 → 账号）。'],
};

const TRUE_FALSE = ['true', 'false', ''] as const;
const addForm = z.object({ name: text(100), role: text(20), senior: text(10) });
const updateForm = z.object({
  onDuty: oneOf(TRUE_FALSE, '只能是 true 或 false。'),
  senior: oneOf(TRUE_FALSE, '只能是 true 或 false。'),
  active: oneOf(TRUE_FALSE, '只能是 true 或 false。'),
});

/** Why a channel cannot move the customers between the two (the first one that says so), or null. */
async function channelRefusal(ctx: AppContext, fromStaffId: string, toStaffId: string): Promise<string | null> {
  for (const part of handoverParts(ctx)) {
    const refusal = await part.refusal(fromStaffId, toStaffId);
    if (refusal) return refusal;
  }
  return null;
}

/** Runs every channel's part; a handover no channel has a part in is closed at once. */
async function runChannelParts(ctx: AppContext, handoverId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const part of handoverParts(ctx)) {
    const line = await part.run(handoverId);
    if (line) lines.push(line);
  }
  if (lines.length === 0) await closeHandover(ctx.db, handoverId, ctx.clock.now());
  return lines;
}

async function handoverText(ctx: AppContext, result: HandoverResult, lines: string[]): Promise<string> {
  const handover = await ctx.db.staffHandover.findUniqueOrThrow({
    where: { id: result.handover.id },
    include: { from: { include: { store: true } }, to: true },
  });
  const { from, to } = handover;
  const { moved } = result;
  const head = result.created
    ? `已停用 ${from.name}，并把 ${moved.leads} 条线索、${moved.tasks} 个待办、${moved.orders} 个未交车订单、${moved.qrSources} 个二维码来源转给 ${to.name}。`
    : `${from.name} 的客户已在 ${formatTime(handover.createdAt, from.store.timeZone)} 开始转交给 ${to.name}，无需重复提交。`;
  return [head, ...lines].join(' ');
}

/**
 * `/admin/staff` (every staff member sees it; core decides each action): the store's staff and the
 * chats they receive staff messages on; admins and managers add and change staff, hand out one-time
 * sign-in links and invitations on each running channel that has them (shown once, after the
 * redirect), link typed chat accounts (WeCom userids) and hand a leaving consultant's customers over.
 */
export const staffRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const staffOnly = { preHandler: requirePermission(ctx, 'staff') };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    refused?: { flash: Flash; typed?: TypedValues; errors?: FieldErrors },
  ) => {
    const staff = signedIn(request);
    const handsOver = may(staff, 'staff.handover', { storeId: staff.storeId, ownerStaffId: null });
    const list = await readStaffList(ctx.db, staff.storeId, { suggestSuccessors: handsOver });
    const manages = STAFF_ROLES.filter((role) => may(staff, 'staff.manage', staffSubject(staff.storeId, role)));
    const accounts = await Promise.all(
      accountChannels(ctx).map(async (c) => ({
        channel: c.channel,
        urlName: channelUrlName(c.channel),
        label: c.staffAccounts.label,
        placeholder: c.staffAccounts.placeholder,
        members: manages.length > 0 ? ((await c.staffAccounts.directory?.()) ?? []) : [],
      })),
    );
    const inviting = invitingChannels(ctx).map((c) => ({ urlName: channelUrlName(c.channel), label: c.label }));
    const off = ctx.channelsOff.flatMap((m) =>
      m.offers.staffInvitations && m.whenOff ? [{ label: m.label, setupHint: m.whenOff.setupHint }] : [],
    );
    const flash = refused?.flash ?? takeFlash(request, reply);
    const shown = flash?.shown
      ? { link: flash.shown, svg: flash.shown.qr ? await qrSvg(flash.shown.url) : null }
      : null;
    const refusal = refused?.typed ? { typed: refused.typed, errors: refused.errors ?? {} } : null;
    const props = { staff, list, manages, handsOver, inviting, accounts, off, shown, flash, refusal };
    return sendPage(reply, status, <StaffPage {...props} />);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, text: string) =>
    show(request, reply, status, { flash: { ok: false, text } });
  const directoryRefusal = (request: FastifyRequest, reply: FastifyReply, error: unknown, typed?: TypedValues) => {
    if (!(error instanceof StaffDirectoryError)) throw error;
    const [status, field, text] = DIRECTORY_REFUSALS[error.code];
    return show(request, reply, status, {
      flash: { ok: false, text },
      ...(typed ? { typed, errors: field ? { [field]: text } : {} } : {}),
    });
  };

  app.get('/admin/staff', staffOnly, async (request, reply) => show(request, reply, 200));

  app.post('/admin/staff', staffOnly, async (request, reply) => {
    const form = readFields(addForm, request.body);
    const input = form.ok ? form.data : { name: '', role: '', senior: '' };
    try {
      const added = await addStaff(ctx.db, ctx.clock, signedIn(request), {
        name: input.name,
        role: input.role,
        senior: input.senior === 'true',
      });
      const invitations = invitingChannels(ctx)
        .map((c) => `或 ${c.label} 邀请`)
        .join('');
      const text = `已添加${ROLE_LABELS[added.role] ?? added.role}：${added.name}。可为其生成网页登录链接${invitations}。`;
      return redirectWithFlash(reply, '/admin/staff', { ok: true, text });
    } catch (error) {
      return directoryRefusal(request, reply, error, form.typed);
    }
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/update', staffOnly, async (request, reply) => {
    const form = readFields(updateForm, request.body);
    const fields = form.ok ? form.data : { onDuty: '', senior: '', active: '' };
    const change = Object.fromEntries(
      Object.entries(fields).flatMap(([f, v]) => (v === '' ? [] : [[f, v === 'true']])),
    );
    if (Object.keys(change).length === 0)
      return refuse(request, reply, 400, '没有要修改的内容（onDuty、senior 或 active 要写 true 或 false）。');
    try {
      const updated = await updateStaff(ctx.db, ctx.clock, signedIn(request), request.params.staffId, change);
      return redirectWithFlash(reply, '/admin/staff', { ok: true, text: `已更新：${updated.name}` });
    } catch (error) {
      return directoryRefusal(request, reply, error);
    }
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/login-links', staffOnly, async (request, reply) => {
    const staffId = request.params.staffId;
    if (!(await mayIssueLoginLink(ctx.db, signedIn(request), staffId))) {
      return refuse(request, reply, 403, '不能为这位员工生成登录链接（不存在、已停用，或超出您的权限）。');
    }
    const token = await createLoginLink(ctx.db, ctx.clock, staffId, ctx.config.ADMIN_LINK_TTL_HOURS);
    const invitee = await ctx.db.staff.findUniqueOrThrow({ where: { id: staffId } });
    const hours = ctx.config.ADMIN_LINK_TTL_HOURS;
    const shown = {
      title: `给 ${invitee.name} 的网页登录链接`,
      howTo: `请 ${invitee.name} 在手机或电脑上打开，之后在“工作台”输入命令。链接只能使用一次，${hours} 小时内有效；本页刷新或关闭后不会再显示。`,
      url: `${ctx.publicBaseUrl}/admin/login/${token}`,
      qr: false,
    };
    return redirectWithFlash(reply, '/admin/staff', {
      ok: true,
      text: `已生成 ${invitee.name} 的网页登录链接。`,
      shown,
    });
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/invitations', staffOnly, async (request, reply) => {
    const staff = signedIn(request);
    const form = readFields(z.object({ channel: text(40) }), request.body);
    const inviting = invitingChannels(ctx);
    const asked = form.ok ? form.data.channel : '';
    const channel =
      asked !== ''
        ? inviting.find((c) => channelUrlName(c.channel) === asked)
        : inviting.length === 1
          ? inviting[0]
          : undefined;
    if (!channel) return refuse(request, reply, 409, '没有可以发送员工邀请的聊天渠道（尚未连接），无法生成邀请。');
    try {
      const { token, expiresAt } = await createStaffInvitation(ctx.db, ctx.clock, staff, {
        staffId: request.params.staffId,
        channel: channel.channel,
      });
      const invitee = await ctx.db.staff.findUniqueOrThrow({
        where: { id: request.params.staffId },
        include: { store: true },
      });
      const { url, howTo } = channel.invitationLink(token);
      ctx.logger.info({ staffId: invitee.id, by: staff.staffId, channel: channel.channel }, 'staff invitation created');
      const until = formatTime(expiresAt, invitee.store.timeZone);
      const shown = {
        title: `给 ${invitee.name} 的 ${channel.label} 邀请`,
        howTo: `请 ${invitee.name} ${howTo}。链接只能使用一次，${until} 前有效；本页刷新或关闭后不会再显示。`,
        url,
        qr: true,
      };
      return redirectWithFlash(reply, '/admin/staff', {
        ok: true,
        text: `已生成 ${invitee.name} 的 ${channel.label} 邀请。`,
        shown,
      });
    } catch (error) {
      if (!(error instanceof InvitationError)) throw error;
      const text = error.code === 'not_allowed' ? '只有管理员和经理可以邀请员工。' : '这位员工不存在或已停用。';
      return refuse(request, reply, error.code === 'not_allowed' ? 403 : 404, text);
    }
  });

  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/handover', staffOnly, async (request, reply) => {
    const staff: StaffPrincipal = signedIn(request);
    if (!may(staff, 'staff.handover', { storeId: staff.storeId, ownerStaffId: null }))
      return refuse(request, reply, ...HANDOVER_REFUSALS.not_allowed);
    const fromStaffId = request.params.staffId;
    const form = readFields(z.object({ toStaffId: text(64) }), request.body);
    const toStaffId = form.ok ? form.data.toStaffId : '';
    if (!(await openHandover(ctx.db, fromStaffId))) {
      const refusal = await channelRefusal(ctx, fromStaffId, toStaffId);
      if (refusal) return refuse(request, reply, 409, refusal);
    }
    let result: HandoverResult;
    try {
      result = await handOverCustomers(ctx.db, ctx.clock, staff, { fromStaffId, toStaffId });
    } catch (error) {
      if (!(error instanceof HandoverError)) throw error;
      return refuse(request, reply, ...HANDOVER_REFUSALS[error.code]);
    }
    ctx.logger.info(
      { handoverId: result.handover.id, by: staff.staffId, created: result.created },
      'customers handed over',
    );
    const lines = await runChannelParts(ctx, result.handover.id);
    return redirectWithFlash(reply, '/admin/staff', { ok: true, text: await handoverText(ctx, result, lines) });
  });

  app.post<{ Params: { staffId: string; channel: string } }>(
    '/admin/staff/:staffId/accounts/:channel',
    staffOnly,
    async (request, reply) => {
      const staff = signedIn(request);
      const channel = accountChannels(ctx).find((c) => channelUrlName(c.channel) === request.params.channel);
      if (!channel) return reply.callNotFound();
      const form = readFields(z.object({ externalId: text(100) }), request.body);
      try {
        const input = {
          staffId: request.params.staffId,
          channel: channel.channel,
          externalId: form.ok ? form.data.externalId : '',
        };
        const linked = await linkStaffAccount(ctx.db, ctx.clock, staff, input);
        ctx.logger.info(
          { staffId: request.params.staffId, by: staff.staffId, channel: channel.channel },
          'staff account linked',
        );
        return redirectWithFlash(reply, '/admin/staff', {
          ok: true,
          text: `已保存 ${linked.name} 的${channel.staffAccounts.label}。`,
        });
      } catch (error) {
        if (!(error instanceof StaffAccountError)) throw error;
        return refuse(request, reply, ...ACCOUNT_REFUSALS[error.code]);
      }
    },
  );
};
