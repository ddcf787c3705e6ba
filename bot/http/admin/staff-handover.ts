// A consultant leaves: on /admin/staff, a manager or admin of the store deactivates them and hands
// their customers to another consultant in one step (the successor suggested: the one with the
// fewest open leads). The store's data moves at once (core/staff/customer-handover.ts); each
// running channel with a part in it (WeCom 客户继承) then moves the platform's side.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { CustomerHandoverPart } from '../../channels/channel-module.ts';
import { may } from '../../../core/staff/authorization.ts';
import { closeHandover, handOverCustomers, HandoverError, openHandover, type HandoverResult } from '../../../core/staff/customer-handover.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { requireStaff } from './admin-auth.ts';
import { formatTime } from './admin-layout.ts';

type Flash = { ok: boolean; text: string };
type Consultant = { id: string; name: string };

/** Whether the signed-in staff member hands customers over (managers and admins of the store). */
export const mayHandOver = (staff: StaffPrincipal): boolean => may(staff, 'staff.handover', { storeId: staff.storeId, ownerStaffId: null });

/**
 * A consultant's row's handover form: the successor to pick (`suggested` first chosen) and one
 * button that deactivates and hands over; while a handover is open, where it goes instead.
 */
export function handoverForm(member: { id: string; name: string; active: boolean }, input: { consultants: Consultant[]; suggested: Consultant | null; openTo: string | null; leads: number }): SafeHtml {
  if (input.openTo) return html`<small>客户正在转交给 ${input.openTo}</small>`;
  const others = input.consultants.filter((c) => c.id !== member.id);
  if (others.length === 0) return html`<small>本店没有其他在职顾问可以接手${member.name}的客户</small>`;
  const label = member.active ? `停用并转交客户（${input.leads} 条线索）` : `转交客户（${input.leads} 条线索）`;
  return html`<form method="post" action="/admin/staff/${member.id}/handover" class="inline"><select name="toStaffId" aria-label="接手顾问">${others.map((c) => html`<option value="${c.id}"${c.id === input.suggested?.id ? html` selected` : ''}>${c.name}${c.id === input.suggested?.id ? '（建议：线索最少）' : ''}</option>`)}</select><button type="submit">${label}</button></form>`;
}

const REFUSALS: Record<HandoverError['code'], [number, string]> = {
  not_allowed: [403, '只有本店的经理或管理员可以转交顾问的客户。'],
  from_invalid: [404, '没有找到这位销售顾问。'],
  to_invalid: [400, '请选择本店另一位在职的销售顾问来接手。'],
};

/** The running channels' parts in handovers. */
const handoverParts = (ctx: AppContext): CustomerHandoverPart[] => ctx.channels.flatMap((c) => (c.customerHandover ? [c.customerHandover] : []));

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

async function resultText(ctx: AppContext, result: HandoverResult, lines: string[]): Promise<string> {
  const handover = await ctx.db.staffHandover.findUniqueOrThrow({ where: { id: result.handover.id }, include: { from: { include: { store: true } }, to: true } });
  const { from, to } = handover;
  const { moved } = result;
  const head = result.created
    ? `已停用 ${from.name}，并把 ${moved.leads} 条线索、${moved.tasks} 个待办、${moved.orders} 个未交车订单、${moved.qrSources} 个二维码来源转给 ${to.name}。`
    : `${from.name} 的客户已在 ${formatTime(handover.createdAt, from.store.timeZone)} 开始转交给 ${to.name}，无需重复提交。`;
  return [head, ...lines].join(' ');
}

/** `POST /admin/staff/:staffId/handover` (toStaffId): deactivate and hand over; the staff page again, with what happened. */
export function registerStaffHandover(app: FastifyInstance, ctx: AppContext, render: (staff: StaffPrincipal, flash: Flash) => Promise<string>): void {
  app.post<{ Params: { staffId: string } }>('/admin/staff/:staffId/handover', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    reply.type('text/html; charset=utf-8');
    const refuse = async (status: number, text: string) => reply.code(status).send(await render(staff, { ok: false, text }));
    if (!mayHandOver(staff)) return refuse(...REFUSALS.not_allowed);
    const fromStaffId = request.params.staffId;
    const toStaffId = formText(request.body, 'toStaffId', { max: 64 });
    if (!(await openHandover(ctx.db, fromStaffId))) {
      const refusal = await channelRefusal(ctx, fromStaffId, toStaffId);
      if (refusal) return refuse(409, refusal);
    }
    let result: HandoverResult;
    try {
      result = await handOverCustomers(ctx.db, ctx.clock, staff, { fromStaffId, toStaffId });
    } catch (error) {
      if (!(error instanceof HandoverError)) throw error;
      return refuse(...REFUSALS[error.code]);
    }
    ctx.logger.info({ handoverId: result.handover.id, by: staff.staffId, created: result.created }, 'customers handed over');
    const lines = await runChannelParts(ctx, result.handover.id);
    return reply.send(await render(staff, { ok: true, text: await resultText(ctx, result, lines) }));
  });
}
