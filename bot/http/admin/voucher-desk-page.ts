import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { findVouchers, redeemVoucher, type VoucherView } from '../../../core/registration/voucher-desk.ts';
import { formatVoucherCode } from '../../../core/registration/voucher-code.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';

function voucherRow(v: VoucherView): SafeHtml {
  const status = v.redeemedAt
    ? html`已领取：${v.redeemedBy ?? '未知'}，${formatTime(v.redeemedAt, v.storeTimeZone)}`
    : html`<form method="post" action="/admin/vouchers/redeem"><input type="hidden" name="code" value="${v.code}"><button type="submit">核销</button></form>`;
  return html`<tr data-code="${v.code}"><td class="code">${formatVoucherCode(v.code)}</td><td>${v.customerName}</td><td>${v.maskedPhone}</td><td>${v.giftName}</td><td>${formatTime(v.issuedAt, v.storeTimeZone)}</td><td>${status}</td></tr>`;
}

function deskPage(staff: StaffPrincipal, query: string, vouchers: VoucherView[] | null, flash?: { ok: boolean; text: string }): string {
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
${results}`;
  return adminPage({ title: '前台礼品核销', staff, content, ...(flash ? { flash } : {}) });
}

/** The front desk: find a voucher by code or phone, and redeem it once. */
export function registerVoucherDesk(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(deskPage(staff, '', null));
  });

  app.get('/admin/vouchers', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const raw = (request.query as { q?: unknown }).q;
    const query = typeof raw === 'string' ? raw.trim().slice(0, 40) : '';
    const vouchers = query ? await findVouchers(ctx.db, staff.storeId, query) : null;
    return reply.type('text/html; charset=utf-8').send(deskPage(staff, query, vouchers));
  });

  app.post('/admin/vouchers/redeem', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const code = String((request.body as { code?: unknown } | undefined)?.code ?? '').slice(0, 40);
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
