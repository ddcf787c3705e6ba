import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../../core/audit/record-audit.ts';
import { maskPhone } from '../../../core/customers/phone.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { saveSmsBudget, SmsBudgetInvalidError, smsBudgetOf, smsUsage, yuan, type SmsBudget } from '../../../core/outbox/sms-budget.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { requireStaff } from '../../http/admin/admin-auth.ts';
import { adminPage, formatTime } from '../../http/admin/admin-layout.ts';

/** Where the budget form posts. */
export const SMS_BUDGET_PATH = '/admin/sms/budget';

const FIELD_LABELS: Record<keyof SmsBudget, string> = { monthlyLimit: '每月上限（条）', dailyStoreLimit: '全店每日上限（条）', dailyCustomerLimit: '每位客户每日上限（条）', priceFen: '单价（分/条）' };
const percent = (used: number, limit: number) => (limit === 0 ? 100 : Math.floor((used / limit) * 100));

/**
 * The SMS part of `/admin/outbox`: the budget line (messages sent this month against the
 * budget, and what they cost), today's count against the daily limits, a form to change them,
 * and the latest messages the carrier could not deliver, with its code.
 */
export async function smsOutboxSection(db: Database, storeId: string, timeZone: string, now: Date): Promise<SafeHtml> {
  const [budget, used, undelivered] = await Promise.all([
    smsBudgetOf(db, storeId), smsUsage(db, { id: storeId, timeZone }, now),
    db.messageIntent.findMany({ where: { storeId, channel: 'SMS', deliveryStatus: 'FAILED' }, orderBy: { deliveryAt: 'desc' }, take: 20, select: { id: true, kind: true, address: true, deliveryCode: true, deliveryAt: true } }),
  ]);
  const share = percent(used.month, budget.monthlyLimit);
  const state = share >= 100 ? '已用完，短信暂停发送' : share >= 80 ? '已超过 80%' : '正常';
  const field = (name: keyof SmsBudget) => html`<label>${FIELD_LABELS[name]} <input name="${name}" type="number" min="0" value="${String(budget[name])}" required></label>`;
  return html`<h2>短信</h2>
<p class="sms-budget" data-used="${String(used.month)}" data-limit="${String(budget.monthlyLimit)}">本月短信：已发 <strong>${String(used.month)}</strong> / ${String(budget.monthlyLimit)} 条（${String(share)}%，${state}），约 ${yuan(used.month * budget.priceFen)}（单价 ${yuan(budget.priceFen)}/条，超过 70 字的短信按多条计费）。今日 ${String(used.today)} / ${String(budget.dailyStoreLimit)} 条，每位客户每日最多 ${String(budget.dailyCustomerLimit)} 条。</p>
<form method="post" action="${SMS_BUDGET_PATH}" class="sms-budget-form">${field('monthlyLimit')} ${field('dailyStoreLimit')} ${field('dailyCustomerLimit')} ${field('priceFen')} <button type="submit">保存短信预算</button></form>
${undelivered.length === 0 ? '' : html`<h3>未送达的短信</h3><table class="sms-undelivered"><thead><tr><th>类型</th><th>号码</th><th>运营商代码</th><th>时间</th></tr></thead><tbody>
${undelivered.map((u) => html`<tr data-intent="${u.id}"><td>${u.kind}</td><td>${u.address ? maskPhone(u.address) : '—'}</td><td>${u.deliveryCode ?? ''}</td><td>${u.deliveryAt ? formatTime(u.deliveryAt, timeZone) : ''}</td></tr>`)}</tbody></table>`}`;
}

/** `POST /admin/sms/budget`: saves the store's SMS budget (admins and managers), audited; back to the outbox page. */
export function registerSmsBudgetRoute(app: FastifyInstance, ctx: AppContext): void {
  app.post(SMS_BUDGET_PATH, async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const page = (status: number, text: string) => reply.code(status).type('text/html; charset=utf-8').send(adminPage({ title: '短信预算', staff, content: html`<p>${text}</p><p><a href="/admin/outbox">返回消息发送队列</a></p>` }));
    if (!may(staff, 'outbox.manage', storeSubject(staff))) return page(403, '只有管理员和经理可以修改短信预算。');
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    try {
      await ctx.db.$transaction(async (tx) => {
        const before = await smsBudgetOf(tx, staff.storeId);
        const after = await saveSmsBudget(tx, staff.storeId, body);
        await recordAudit(tx, { storeId: staff.storeId, actorStaffId: staff.staffId, action: 'sms.budget.saved', entity: 'store', entityId: staff.storeId, details: { before, after }, at: ctx.clock.now() });
      });
    } catch (error) {
      if (!(error instanceof SmsBudgetInvalidError)) throw error;
      return page(400, `短信预算未保存：${FIELD_LABELS[error.field]}填写有误（${error.message.slice(error.field.length + 1)}）。`);
    }
    return reply.code(303).header('location', '/admin/outbox').send();
  });
}
