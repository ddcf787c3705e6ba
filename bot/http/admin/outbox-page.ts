import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import {
  cancelIntent, completeTask, countIntentsByState, INTENT_STATES, listOpenAlerts, listOpenTasks, listProblemIntents, retryIntent, type AdminActionResult,
} from '../../../core/outbox/outbox-admin.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';

const STATE_LABELS: Record<(typeof INTENT_STATES)[number], string> = {
  PENDING: '等待发送', SENDING: '发送中', SENT: '已发送', FAILED_RETRYING: '失败重试中', DEAD: '发送失败', EXPIRED: '已过期', CANCELLED: '已取消', UNKNOWN: '结果未知',
};
const RESULT_TEXT: Record<AdminActionResult, string> = { done: '已处理。', not_found: '没有找到这条消息。', not_allowed: '这条消息当前的状态不能执行该操作。' };

async function outboxPage(ctx: AppContext, staff: StaffPrincipal, flash?: { ok: boolean; text: string }): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const [counts, problems, alerts, tasks, channelSections] = await Promise.all([
    countIntentsByState(ctx.db, staff.storeId), listProblemIntents(ctx.db, staff.storeId), listOpenAlerts(ctx.db, staff.storeId), listOpenTasks(ctx.db, staff.storeId),
    Promise.all(ctx.channels.map((channel) => channel.outboxSection?.(staff.storeId, store.timeZone))),
  ]);
  const content = html`<table class="counts"><thead><tr>${INTENT_STATES.map((s) => html`<th>${STATE_LABELS[s]}</th>`)}</tr></thead>
<tbody><tr>${INTENT_STATES.map((s) => html`<td data-state="${s}">${counts[s]}</td>`)}</tr></tbody></table>
<h2>需要处理的消息</h2>
${problems.length === 0 ? html`<p>没有发送失败或结果未知的消息。</p>` : html`<table class="problems"><thead><tr><th>类型</th><th>状态</th><th>渠道</th><th>尝试</th><th>原因</th><th>时间</th><th>操作</th></tr></thead><tbody>
${problems.map((p) => html`<tr data-intent="${p.id}"><td>${p.kind}<br><small>${p.dedupeKey}</small></td><td>${STATE_LABELS[p.state]}</td><td>${p.channel ?? '—'}</td><td>${p.attempts}</td><td>${p.lastError ?? ''}</td><td>${formatTime(p.updatedAt, store.timeZone)}</td>
<td><form method="post" action="/admin/outbox/${p.id}/retry"><button type="submit">${p.state === 'UNKNOWN' ? '重新发送（可能重复）' : '重新发送'}</button></form>
<form method="post" action="/admin/outbox/${p.id}/cancel"><button type="submit">取消</button></form></td></tr>`)}
</tbody></table>`}
<h2>待人工转达的消息</h2>
${tasks.length === 0 ? html`<p>没有需要人工转达的消息。</p>` : html`<ul class="tasks">${tasks.map((task) => html`<li data-task="${task.id}"><p class="task-text">${task.text}</p>${task.reason ? html`<p class="task-reason"><small>未能自动发送：${task.reason}</small></p>` : ''}<small>${task.staff?.name ?? '未分配顾问'} · ${formatTime(task.createdAt, store.timeZone)}</small>
<form method="post" action="/admin/tasks/${task.id}/done"><button type="submit">已转达</button></form></li>`)}</ul>`}
${channelSections}
<h2>未处理的提醒</h2>
${alerts.length === 0 ? html`<p>没有未处理的提醒。</p>` : html`<ul class="alerts">${alerts.map((a) => html`<li>${formatTime(a.createdAt, store.timeZone)} ${a.message}</li>`)}</ul>`}`;
  return adminPage({ title: '消息发送队列', staff, content, ...(flash ? { flash } : {}) });
}

/** `/admin/outbox`: counts by state, dead and unknown messages with retry and cancel, open alerts. */
export function registerOutboxPage(app: FastifyInstance, ctx: AppContext): void {
  const guard = async (request: Parameters<typeof requireStaff>[1], reply: Parameters<typeof requireStaff>[2]) => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, 'outbox.manage', storeSubject(staff))) {
      await reply.code(403).type('text/html; charset=utf-8').send(adminPage({ title: '消息发送队列', staff, content: html`<p>只有管理员和经理可以查看消息发送队列。</p>` }));
      return null;
    }
    return staff;
  };

  app.get('/admin/outbox', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(await outboxPage(ctx, staff));
  });

  app.post<{ Params: { id: string } }>('/admin/tasks/:id/done', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const done = await completeTask(ctx.db, ctx.clock, staff.storeId, request.params.id);
    return reply.code(done ? 200 : 404).type('text/html; charset=utf-8').send(await outboxPage(ctx, staff, { ok: done, text: done ? '已标记为转达。' : '没有找到这条待办。' }));
  });

  app.post<{ Params: { id: string; action: string } }>('/admin/outbox/:id/:action', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const { id, action } = request.params;
    if (action !== 'retry' && action !== 'cancel') return reply.code(404).send({ error: 'Not found' });
    const result = await (action === 'retry' ? retryIntent : cancelIntent)(ctx.db, ctx.clock, staff.storeId, id);
    ctx.logger.info({ intentId: id, action, result, staffId: staff.staffId }, 'outbox admin action');
    const status = result === 'done' ? 200 : result === 'not_found' ? 404 : 409;
    return reply.code(status).type('text/html; charset=utf-8').send(await outboxPage(ctx, staff, { ok: result === 'done', text: RESULT_TEXT[result] }));
  });
}
