import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { OpenChannel } from '../../channels/channel-module.ts';
import { linkStaffAccount, StaffAccountError } from '../../../core/staff/link-staff-account.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { requireStaff } from './admin-auth.ts';
import { channelUrlName } from './channel-links.ts';

type AccountChannel = OpenChannel & Required<Pick<OpenChannel, 'staffAccounts'>>;

/** The running channels whose staff are linked by typing their account id (WeCom userids). */
export const accountChannels = (ctx: AppContext): AccountChannel[] => ctx.channels.filter((c): c is AccountChannel => c.staffAccounts !== undefined);

const listId = (channel: AccountChannel) => `accounts-${channelUrlName(channel.channel)}`;

/** A member's row's form to type (or pick) their account on such a channel. */
export function accountForm(channel: AccountChannel, staffId: string, current: string | undefined): SafeHtml {
  return html`<form method="post" action="/admin/staff/${staffId}/accounts/${channelUrlName(channel.channel)}" class="inline"><input name="externalId" maxlength="64" pattern="[A-Za-z0-9_.@\\-]{1,64}" value="${current ?? ''}" list="${listId(channel)}" placeholder="${channel.staffAccounts.placeholder}" aria-label="${channel.staffAccounts.label}"><button type="submit">保存${channel.staffAccounts.label}</button></form>`;
}

/** The pick lists of the account inputs: each channel's members, as the browser's suggestions. */
export async function accountPickLists(ctx: AppContext): Promise<SafeHtml[]> {
  return Promise.all(accountChannels(ctx).map(async (channel) => {
    const members = (await channel.staffAccounts.directory?.()) ?? [];
    return html`<datalist id="${listId(channel)}">${members.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</datalist>`;
  }));
}

const REFUSALS: Record<StaffAccountError['code'], [number, string]> = {
  not_allowed: [403, '超出您的权限：经理只能管理销售顾问和前台。'],
  staff_invalid: [404, '这位员工不存在或已停用。'],
  account_invalid: [400, '账号只能包含字母、数字和 _ . @ -，最长 64 个字符（企业微信：通讯录 → 成员 → 账号）。'],
};

/** `POST /admin/staff/:staffId/accounts/:channel` (externalId): links the typed account; JSON answer, then back to the page. */
export function registerStaffAccounts(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { staffId: string; channel: string } }>('/admin/staff/:staffId/accounts/:channel', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const channel = accountChannels(ctx).find((c) => channelUrlName(c.channel) === request.params.channel);
    if (!channel) return reply.code(404).send({ error: `No running channel "${request.params.channel}" links staff accounts` });
    const externalId = formText(request.body, 'externalId', { max: 100 });
    try {
      const linked = await linkStaffAccount(ctx.db, ctx.clock, staff, { staffId: request.params.staffId, channel: channel.channel, externalId });
      ctx.logger.info({ staffId: request.params.staffId, by: staff.staffId, channel: channel.channel }, 'staff account linked');
      return reply.redirect(`/admin/staff?linked=${encodeURIComponent(linked.name)}`, 303);
    } catch (error) {
      if (!(error instanceof StaffAccountError)) throw error;
      const [status, text] = REFUSALS[error.code];
      return reply.code(status).send({ error: text });
    }
  });
}
