import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Prisma } from '../../../core/db/generated/client.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { closeTicket, customerLine, setTicketCategory, staffFactorLabel, takeTicket, TicketError, type TicketErrorCode } from '../../../core/surveys/tickets.ts';
import { ticketCategoryLabel } from '../../../core/surveys/ticket-categories.ts';
import { categoryOptions, registerComplaintIntake } from './complaint-intake.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';

type Flash = { ok: boolean; text: string };
/** What the staff member typed into the close form, shown again after a refusal. */
type Draft = { rootCause: string; actionTaken: string; outcome: string; finalSatisfaction: string; reSurvey: boolean };
/** A refusal: the page-level message and, per form field, what to fix there. */
type Refusal = { draft: Draft; fields: Record<string, string> };

const TITLE = '回访与投诉';
/** A close form's text areas: kept a little over core's limit, so an over-long text is refused by core, not cut. */
const NOTE = { max: 4000, multiline: true };
const CLOSED_DAYS = 30;
const TYPE_LABELS = { RECALL: '回访召回', COMPLAINT: '客户投诉' } as const;
const STATUS_LABELS = { OPEN: '待接单', IN_PROGRESS: '处理中', CLOSED: '已结案' } as const;
const ACTION_LABELS: Record<string, string> = { 'ticket.opened': '开单', 'ticket.taken': '接单', 'ticket.closed': '结案', 'ticket.escalated': '超时升级', 'ticket.categorized': '分类' };
const FIELD_LABELS: Record<string, string> = { rootCause: '根本原因', actionTaken: '处理措施', outcome: '客户反馈结果', finalSatisfaction: '最终满意度', description: '描述' };

/** What to fix, in Chinese, per reason core gave. */
const ERROR_TEXT: Record<TicketErrorCode, string> = {
  ticket_not_found: '没有找到这个工单。',
  ticket_closed: '该工单已经结案，不能再接单或结案。',
  ticket_taken: '该工单已被他人接单，请刷新页面查看负责人。',
  staff_invalid: '当前登录的员工不是本店在职员工，不能处理工单。',
  store_not_found: '没有找到门店。',
  customer_not_found: '没有找到这位客户。',
  consultant_invalid: '销售顾问不是本店员工。',
  survey_invalid: '回访问卷不属于这位客户或本店。',
  score_invalid: '评分必须是 1–10 的整数。',
  score_not_low: '评分 8 分及以上不需要召回。',
  description_missing: '请填写投诉内容。',
  source_missing: '请填写投诉来源。',
  text_too_long: '内容不能超过 2000 个字。',
  category_invalid: '请选择投诉类别。',
  root_cause_missing: '请填写根本原因。',
  action_missing: '请填写处理措施。',
  outcome_missing: '请填写客户反馈结果。',
  satisfaction_invalid: '最终满意度必须是 1–10 的整数（可以不填）。',
};
const MISSING_TEXT: Record<string, string> = { rootCause: ERROR_TEXT.root_cause_missing, actionTaken: ERROR_TEXT.action_missing, outcome: ERROR_TEXT.outcome_missing };

/** Per field, what to fix: every missing required field at once, otherwise the one core named. */
function refusalFields(error: TicketError): Record<string, string> {
  if (error.code === 'root_cause_missing' || error.code === 'action_missing' || error.code === 'outcome_missing') {
    return Object.fromEntries(Object.keys(error.fields).map((f) => [f, MISSING_TEXT[f] ?? ERROR_TEXT[error.code]]));
  }
  const label = FIELD_LABELS[error.field];
  return { [error.field]: label && error.code === 'text_too_long' ? `${label}：${ERROR_TEXT[error.code]}` : ERROR_TEXT[error.code] };
}

const include = { customer: true, consultant: true, owner: true, closedBy: true, survey: true } satisfies Prisma.TicketInclude;
type TicketRow = Prisma.TicketGetPayload<{ include: typeof include }>;
type AuditRow = Prisma.AuditEntryGetPayload<{ include: { actor: true } }>;

/** Overdue: a recall still open at its due time, a complaint nobody took within 30 minutes. */
const overdue = (t: TicketRow, now: Date): boolean => t.status !== 'CLOSED' && t.dueAt <= now && (t.type === 'RECALL' || t.takenAt === null);
const scoreText = (t: TicketRow): string => (t.type === 'RECALL' ? `${t.score ?? '-'} 分 · ${staffFactorLabel(t.factor)}` : ticketCategoryLabel(t.category));

function dueCell(t: TicketRow, now: Date, timeZone: string): SafeHtml {
  if (t.type === 'COMPLAINT' && t.takenAt) return html`已接单`;
  const what = t.type === 'RECALL' ? '结案' : '接单';
  return html`${formatTime(t.dueAt, timeZone)} 前${what}${overdue(t, now) ? html` <strong class="field-error" data-overdue="${t.id}">已超时</strong>` : ''}`;
}

function listRows(tickets: TicketRow[], now: Date, timeZone: string): SafeHtml {
  return html`<table class="tickets"><thead><tr><th>编号</th><th>类型</th><th>客户</th><th>销售顾问</th><th>评分 · 环节 / 投诉类别</th><th>创建</th><th>期限</th><th>升级</th><th>负责人</th><th>状态</th></tr></thead><tbody>
${tickets.map((t) => html`<tr data-ticket="${t.id}"><td><a href="/admin/tickets/${t.id}">${t.reference}</a></td><td>${TYPE_LABELS[t.type]}</td><td>${customerLine(t.customer)}</td><td>${t.consultant?.name ?? '—'}</td>
<td>${scoreText(t)}</td><td>${formatTime(t.createdAt, timeZone)}</td><td>${dueCell(t, now, timeZone)}</td><td>${t.escalatedAt ? formatTime(t.escalatedAt, timeZone) : '—'}</td><td>${t.owner?.name ?? '无人接单'}</td><td>${STATUS_LABELS[t.status]}</td></tr>`)}
</tbody></table>`;
}

/** The form staff open a complaint with by hand: the customer's number (optional), how it came, its category, what happened. */
function complaintForm(draft: Record<string, string> = {}): SafeHtml {
  return html`<form class="open-complaint" method="post" action="/admin/tickets">
<label>客户手机号（可不填）<input name="phone" inputmode="tel" maxlength="20" value="${draft.phone ?? ''}"></label>
<label>来源<select name="source"><option value="phone"${draft.source === 'walk_in' ? '' : html` selected`}>电话</option><option value="walk_in"${draft.source === 'walk_in' ? html` selected` : ''}>到店</option></select></label>
<label>投诉类别<select name="category">${categoryOptions(draft.category ?? '')}</select></label>
<label>投诉内容（必填）<textarea name="description" maxlength="2000" required>${draft.description ?? ''}</textarea></label>
<button type="submit">登记投诉</button></form>`;
}

/** The store's open tickets (soonest due first), then those closed in the last 30 days. */
async function listPage(ctx: AppContext, staff: StaffPrincipal, flash?: Flash, draft?: Record<string, string>): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - CLOSED_DAYS * 24 * 3600_000);
  const [open, closed] = await Promise.all([
    ctx.db.ticket.findMany({ where: { storeId: staff.storeId, status: { in: ['OPEN', 'IN_PROGRESS'] } }, include, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }] }),
    ctx.db.ticket.findMany({ where: { storeId: staff.storeId, status: 'CLOSED', closedAt: { gte: since } }, include, orderBy: [{ closedAt: 'desc' }, { id: 'asc' }] }),
  ]);
  const content = html`<details class="new-complaint"${draft ? html` open` : ''}><summary>登记投诉（电话或到店）</summary>${complaintForm(draft)}</details>
<h2>待处理（${open.length}）</h2>
${open.length === 0 ? html`<p>没有待处理的回访召回或客户投诉。</p>` : listRows(open, now, store.timeZone)}
<h2>近 ${CLOSED_DAYS} 天已结案（${closed.length}）</h2>
${closed.length === 0 ? html`<p>近 ${CLOSED_DAYS} 天没有结案的工单。</p>` : listRows(closed, now, store.timeZone)}`;
  return adminPage({ title: TITLE, staff, content, ...(flash ? { flash } : {}) });
}

function auditDetails(action: string, raw: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  switch (action) {
    case 'ticket.opened': return d.type === 'RECALL' ? `回访评分 ${String(d.score ?? '-')} 分，不满意环节：${staffFactorLabel(typeof d.factor === 'string' ? d.factor : null)}` : `来源：${String(d.source ?? '')}${typeof d.category === 'string' ? `，类别：${ticketCategoryLabel(d.category)}` : ''}`;
    case 'ticket.taken': return `开单后 ${String(d.minutesAfterOpening ?? '-')} 分钟接单`;
    case 'ticket.closed': return `最终满意度 ${d.finalSatisfaction == null ? '未填' : String(d.finalSatisfaction)}${d.reSurvey ? '，已安排重新回访' : ''}`;
    case 'ticket.escalated': return d.to === 'general_manager' ? '已升级至总经理' : '已升级至经理';
    case 'ticket.categorized': return `类别：${ticketCategoryLabel(typeof d.after === 'string' ? d.after : null)}`;
    default: return raw;
  }
}

function closeForm(t: TicketRow, refusal: Refusal | undefined): SafeHtml {
  const d = refusal?.draft;
  const err = (name: string) => (refusal?.fields[name] ? html`<p class="field-error" data-error="${name}">${refusal.fields[name]}</p>` : '');
  const area = (name: 'rootCause' | 'actionTaken' | 'outcome') => html`<label>${FIELD_LABELS[name]}（必填）<textarea name="${name}" maxlength="2000" required>
${d?.[name] ?? ''}</textarea></label>${err(name)}`;
  return html`<form class="close-ticket" method="post" action="/admin/tickets/${t.id}/close"><h2>结案</h2>
${area('rootCause')}${area('actionTaken')}${area('outcome')}
<label>最终满意度（1–10，可不填）<input name="finalSatisfaction" inputmode="numeric" pattern="[1-9]|10" maxlength="2" value="${d?.finalSatisfaction ?? ''}"></label>${err('finalSatisfaction')}
${t.customerId ? html`<label class="check"><input type="checkbox" name="reSurvey" value="1"${d?.reSurvey ? html` checked` : ''}> 重新回访（明天再次邀请客户评分）</label>` : ''}
<button type="submit">结案</button></form>`;
}

/** One ticket with everything about it, its audit trail, and the take and close forms while open. */
async function detailPage(ctx: AppContext, staff: StaffPrincipal, t: TicketRow, flash?: Flash, refusal?: Refusal): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const zone = store.timeZone;
  const trail: AuditRow[] = await ctx.db.auditEntry.findMany({ where: { storeId: staff.storeId, entity: 'ticket', entityId: t.id }, include: { actor: true }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const row = (label: string, value: SafeHtml | string | number | null) => html`<tr><th>${label}</th><td>${value ?? '—'}</td></tr>`;
  const open = t.status !== 'CLOSED';
  const content = html`<p><a href="/admin/tickets">← 返回工单列表</a></p>
<table class="ticket" data-ticket="${t.id}"><tbody>
${row('编号', t.reference)}${row('类型', TYPE_LABELS[t.type])}${row('状态', STATUS_LABELS[t.status])}
${row('客户', customerLine(t.customer))}${row('销售顾问', t.consultant?.name ?? '未指定')}
${t.type === 'RECALL' ? html`${row('回访评分', t.score === null ? null : `${t.score} 分`)}${row('不满意环节', staffFactorLabel(t.factor))}${t.survey ? row('回访问卷', `当前评分 ${t.survey.score ?? '-'} 分，客户留言：${t.survey.comment ?? '（无）'}`) : ''}` : ''}
${t.type === 'COMPLAINT' ? row('投诉类别', open ? html`<form class="inline" method="post" action="/admin/tickets/${t.id}/category"><select name="category" aria-label="投诉类别">${categoryOptions(t.category ?? '')}</select> <button type="submit">保存类别</button></form>` : ticketCategoryLabel(t.category)) : ''}
${row(t.type === 'RECALL' ? '说明' : '投诉内容', html`<span class="task-text">${t.description}</span>`)}
${row('创建时间', formatTime(t.createdAt, zone))}${row('期限', dueCell(t, ctx.clock.now(), zone))}${row('超时升级', t.escalatedAt ? formatTime(t.escalatedAt, zone) : '未升级')}
${row('负责人', t.owner ? `${t.owner.name}（${t.takenAt ? formatTime(t.takenAt, zone) : ''} 接单）` : '无人接单')}
${open ? '' : html`${row('根本原因', t.rootCause)}${row('处理措施', t.actionTaken)}${row('客户反馈结果', t.outcome)}${row('最终满意度', t.finalSatisfaction)}${row('结案', `${t.closedBy?.name ?? '—'} · ${t.closedAt ? formatTime(t.closedAt, zone) : ''}`)}`}
</tbody></table>
${open && !t.ownerStaffId ? html`<form class="take-ticket" method="post" action="/admin/tickets/${t.id}/take"><button type="submit">接单</button></form>` : ''}
${open ? closeForm(t, refusal) : ''}
<h2>操作记录</h2>
<ul class="audit">${trail.map((a) => html`<li><small>${formatTime(a.at, zone)} · ${a.actor?.name ?? '系统'} · ${ACTION_LABELS[a.action] ?? a.action} · ${auditDetails(a.action, a.details)}</small></li>`)}</ul>`;
  return adminPage({ title: `工单 ${t.reference}`, staff, content, ...(flash ? { flash } : {}) });
}

/** `/admin/tickets`: the store's recalls and complaints; take and close one, with its audit trail. */
export function registerTicketsPage(app: FastifyInstance, ctx: AppContext): void {
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, 'ticket.handle', storeSubject(staff))) {
      await reply.code(403).type('text/html; charset=utf-8').send(adminPage({ title: TITLE, staff, content: html`<p>只有管理员、经理和客服（前台）可以查看和处理回访与投诉工单。</p>` }));
      return null;
    }
    return staff;
  };
  const send = async (reply: FastifyReply, status: number, body: Promise<string>) => reply.code(status).type('text/html; charset=utf-8').send(await body);
  const find = (staff: StaffPrincipal, id: string) => ctx.db.ticket.findFirst({ where: { id, storeId: staff.storeId }, include });
  const notFound = (reply: FastifyReply, staff: StaffPrincipal) =>
    send(reply, 404, Promise.resolve(adminPage({ title: TITLE, staff, flash: { ok: false, text: '没有找到本店的这个工单。' }, content: html`<p><a href="/admin/tickets">← 返回工单列表</a></p>` })));

  app.get('/admin/tickets', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    return send(reply, 200, listPage(ctx, staff));
  });

  app.get<{ Params: { id: string } }>('/admin/tickets/:id', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const ticket = await find(staff, request.params.id);
    if (!ticket) return notFound(reply, staff);
    return send(reply, 200, detailPage(ctx, staff, ticket));
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/take', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const ticket = await find(staff, request.params.id);
    if (!ticket) return notFound(reply, staff);
    try {
      await takeTicket(ctx.db, ctx.clock, ticket.id, staff.staffId);
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId }, 'ticket taken');
      return send(reply, 200, detailPage(ctx, staff, (await find(staff, ticket.id)) ?? ticket, { ok: true, text: `已接单：工单 ${ticket.reference} 由你负责，请尽快联系客户。` }));
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return send(reply, 400, detailPage(ctx, staff, (await find(staff, ticket.id)) ?? ticket, { ok: false, text: `未能接单。${ERROR_TEXT[error.code]}` }));
    }
  });

  registerComplaintIntake(app, ctx, guard, {
    errorText: (error) => ERROR_TEXT[error.code],
    refused: (staff, text, draft) => listPage(ctx, staff, { ok: false, text }, draft),
    opened: (staff, ticketId, text) => find(staff, ticketId).then((t) => (t ? detailPage(ctx, staff, t, { ok: true, text }) : listPage(ctx, staff, { ok: true, text }))),
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/category', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const ticket = await find(staff, request.params.id);
    if (!ticket) return notFound(reply, staff);
    try {
      await setTicketCategory(ctx.db, ctx.clock, ticket.id, staff.staffId, formText(request.body, 'category', { max: 30 }));
      return send(reply, 200, detailPage(ctx, staff, (await find(staff, ticket.id)) ?? ticket, { ok: true, text: '已保存投诉类别。' }));
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return send(reply, 400, detailPage(ctx, staff, ticket, { ok: false, text: ERROR_TEXT[error.code] }));
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/close', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const ticket = await find(staff, request.params.id);
    if (!ticket) return notFound(reply, staff);
    const body = request.body;
    const draft: Draft = {
      rootCause: formText(body, 'rootCause', NOTE), actionTaken: formText(body, 'actionTaken', NOTE), outcome: formText(body, 'outcome', NOTE),
      finalSatisfaction: formText(body, 'finalSatisfaction', { max: 10 }), reSurvey: formText(body, 'reSurvey', { max: 10 }) !== '',
    };
    const satisfaction = draft.finalSatisfaction === '' ? null : /^\d{1,2}$/.test(draft.finalSatisfaction) ? Number(draft.finalSatisfaction) : Number.NaN;
    try {
      await closeTicket(ctx.db, ctx.clock, ticket.id, staff.staffId, { rootCause: draft.rootCause, actionTaken: draft.actionTaken, outcome: draft.outcome, finalSatisfaction: satisfaction, reSurvey: draft.reSurvey });
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId, reSurvey: draft.reSurvey }, 'ticket closed');
      const text = `工单 ${ticket.reference} 已结案。${draft.reSurvey && ticket.customerId ? '已安排明天重新回访客户。' : ''}`;
      return send(reply, 200, detailPage(ctx, staff, (await find(staff, ticket.id)) ?? ticket, { ok: true, text }));
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      const fields = refusalFields(error);
      const text = `工单未结案。${[...new Set(Object.values(fields))].join('')}`;
      return send(reply, 400, detailPage(ctx, staff, (await find(staff, ticket.id)) ?? ticket, { ok: false, text }, { draft, fields }));
    }
  });
}
