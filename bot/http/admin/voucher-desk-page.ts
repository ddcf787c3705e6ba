import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { confirmPendingRegistration, listPendingRegistrations, type PendingView } from '../../../core/registration/desk-confirmation.ts';
import { findVouchers, redeemVoucher, type VoucherView } from '../../../core/registration/voucher-desk.ts';
import { formatVoucherCode } from '../../../core/registration/voucher-code.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import { registerWalkInCounter, walkInSection } from './walk-in-counter.ts';

function voucherRow(v: VoucherView): SafeHtml {
  const status = v.redeemedAt
    ? html`已领取：${v.redeemedBy ?? '未知'}，${formatTime(v.redeemedAt, v.storeTimeZone)}`
    : html`<form method="post" action="/admin/vouchers/redeem"><input type="hidden" name="code" value="${v.code}"><button type="submit">核销</button></form>`;
  return html`<tr data-code="${v.code}"><td class="code">${formatVoucherCode(v.code)}</td><td>${v.customerName}</td><td>${v.maskedPhone}</td><td>${v.giftName}</td><td>${formatTime(v.issuedAt, v.storeTimeZone)}</td><td>${status}</td></tr>`;
}

/** Who may confirm a registration in person: the desk and those above it, not consultants (core/staff/authorization.ts). */
const mayConfirm = (staff: StaffPrincipal): boolean => may(staff, 'registration.confirm', storeSubject(staff));

function pendingRow(p: PendingView, timeZone: string): SafeHtml {
  const reason = p.reason === 'identity' ? '手机号已登记过，需核对本人' : '礼品发放暂停，需当面发放';
  return html`<tr data-pending="${p.id}"><td>${p.name}</td><td>${p.maskedPhone}</td><td>${reason}</td><td>${formatTime(p.createdAt, timeZone)}</td>
<td><form method="post" action="/admin/registrations/${p.id}/confirm"><button type="submit">已当面核对，确认并发券</button></form></td></tr>`;
}

/**
 * Registrations the desk confirms in person. Check before confirming: the person shows the
 * phone with this number (e.g. call it and see it ring) — confirming links their chat to the
 * customer who has the number and hands them that customer's voucher.
 */
function pendingSection(pending: PendingView[], timeZone: string): SafeHtml {
  if (pending.length === 0) return html``;
  return html`<h2>待前台确认的登记</h2>
<p>请先核对本人：请顾客出示该手机号的手机（例如拨打该号码看是否响铃），确认无误后再点击确认。</p>
<table><thead><tr><th>填写的称呼</th><th>手机</th><th>原因</th><th>时间</th><th></th></tr></thead><tbody>${pending.map((p) => pendingRow(p, timeZone))}</tbody></table>`;
}

async function storeTimeZone(ctx: AppContext, storeId: string): Promise<string> {
  return (await ctx.db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } })).timeZone;
}

/** What the desk shows under the search: the walk-in counter, and the registrations to confirm. */
async function pendingOf(ctx: AppContext, staff: StaffPrincipal): Promise<SafeHtml> {
  const walkIns = await walkInSection(ctx, staff);
  if (!mayConfirm(staff)) return walkIns;
  return html`${walkIns}${pendingSection(await listPendingRegistrations(ctx.db, staff.storeId, ctx.clock.now()), await storeTimeZone(ctx, staff.storeId))}`;
}

function deskPage(staff: StaffPrincipal, query: string, vouchers: VoucherView[] | null, flash?: { ok: boolean; text: string }, pending: SafeHtml = html``): string {
  const results =
    vouchers === null
      ? ''
      : vouchers.length === 0
        ? html`<p>没有找到匹配的礼品券，请核对券码或手机号。</p>`
        : html`<table><thead><tr><th>券码</th><th>姓名</th><th>手机</th><th>礼品</th><th>登记时间</th><th>状态</th></tr></thead><tbody>${vouchers.map(voucherRow)}</tbody></table>`;
  const content = html`<form class="search" method="get" action="/admin/vouchers">
  <input name="q" value="${query}" placeholder="输入券码或手机号" aria-label="券码或手机号" maxlength="40" autofocus>
  <button type="submit">查找</button>
</form>
${results}
${pending}`;
  return adminPage({ title: '前台礼品核销', staff, content, ...(flash ? { flash } : {}) });
}

/** The front desk: find a voucher by code or phone, and redeem it once. */
export function registerVoucherDesk(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(deskPage(staff, '', null, undefined, await pendingOf(ctx, staff)));
  });

  app.post<{ Params: { id: string } }>('/admin/registrations/:id/confirm', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    reply.type('text/html; charset=utf-8');
    if (!mayConfirm(staff)) return reply.code(403).send(deskPage(staff, '', null, { ok: false, text: '只有前台、经理或管理员可以当面确认登记。' }));
    const result = await confirmPendingRegistration(ctx.db, ctx.clock, { storeId: staff.storeId, pendingId: request.params.id.slice(0, 64), staffId: staff.staffId });
    const pending = await pendingOf(ctx, staff);
    if (result.status === 'not_found') return reply.code(404).send(deskPage(staff, '', null, { ok: false, text: '没有找到这条待确认的登记。' }, pending));
    if (result.status === 'already_resolved') return reply.code(409).send(deskPage(staff, '', null, { ok: false, text: '这条登记已经确认过了。' }, pending));
    ctx.logger.info({ staffId: staff.staffId }, 'registration confirmed at the desk');
    const text = result.voucherCode
      ? `已确认：${result.name} 的礼品券码 ${formatVoucherCode(result.voucherCode)}，请核销后将「${result.giftName}」交给顾客。`
      : `已确认：${result.name} 的登记已完成；礼品已送完（或此前已领取），没有新的券码。`;
    return reply.send(deskPage(staff, result.voucherCode ?? '', null, { ok: true, text }, pending));
  });

  app.get('/admin/vouchers', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const query = formText(request.query, 'q', { max: 40 });
    const vouchers = query ? await findVouchers(ctx.db, staff.storeId, query) : null;
    return reply.type('text/html; charset=utf-8').send(deskPage(staff, query, vouchers, undefined, await pendingOf(ctx, staff)));
  });

  registerWalkInCounter(app, ctx, async (staff, flash) => deskPage(staff, '', null, flash, await pendingOf(ctx, staff)));

  app.post('/admin/vouchers/redeem', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const code = formText(request.body, 'code', { max: 40 });
    const result = await redeemVoucher(ctx.db, ctx.clock, staff.storeId, code, staff.staffId);
    reply.type('text/html; charset=utf-8');
    switch (result.status) {
      case 'redeemed':
        ctx.logger.info({ voucher: result.voucher.code, staffId: staff.staffId }, 'voucher redeemed');
        return reply.send(deskPage(staff, result.voucher.code, [result.voucher], { ok: true, text: `核销成功：${formatVoucherCode(result.voucher.code)}，请将「${result.voucher.giftName}」交给${result.voucher.customerName}。` }));
      case 'already_redeemed': {
        const v = result.voucher;
        const when = v.redeemedAt ? formatTime(v.redeemedAt, v.storeTimeZone) : '';
        return reply.code(409).send(deskPage(staff, v.code, [v], { ok: false, text: `不能重复核销：该券已于 ${when} 由 ${v.redeemedBy ?? '未知'} 核销。` }));
      }
      case 'not_found':
        return reply.code(404).send(deskPage(staff, code, [], { ok: false, text: '没有找到这个券码，请核对后重试。' }));
      default:
        return result satisfies never;
    }
  });
}
