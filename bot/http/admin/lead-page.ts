import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../app-context.ts';
import { maskPhone } from '../../../core/customers/phone.ts';
import { changeGrade } from '../../../core/leads/change-grade.ts';
import { leadHistory, sourceLabel } from '../../../core/leads/lead-history.ts';
import { FOLLOW_UP_GRADES, LeadActionError } from '../../../core/leads/log-follow-up.ts';
import { decideLost, LOST_LEVELS, type LostLevel } from '../../../core/leads/lost-request.ts';
import { reassignLead } from '../../../core/leads/reassign-lead.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import { LEAD_ERRORS } from '../../../core/staff/run-command.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { refusePage, sendHtml } from './page-reply.ts';

const KIND_LABELS: Record<string, string> = { visit: '到店', follow_up: '跟进', change: '变更', lost: '战败', survey: '回访', ticket: '工单', order: '订单', message: '消息', task: '转交', consent: '同意', voucher: '礼品' };
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
type Flash = { ok: boolean; text: string };

const include = { customer: true, owner: true, lostRequests: { where: { status: 'PENDING' as const }, include: { requestedBy: true } } };

async function findLead(ctx: AppContext, staff: StaffPrincipal, id: string) {
  return ctx.db.lead.findFirst({ where: { id, storeId: staff.storeId }, include });
}
type LeadRow = NonNullable<Awaited<ReturnType<typeof findLead>>>;

async function leadPage(ctx: AppContext, staff: StaffPrincipal, lead: LeadRow, flash?: Flash): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const zone = store.timeZone;
  const manager = may(staff, 'lead.manage', storeSubject(staff));
  const [history, consultants] = await Promise.all([
    leadHistory(ctx.db, lead.id),
    manager ? ctx.db.staff.findMany({ where: { storeId: staff.storeId, role: 'CONSULTANT', active: true }, orderBy: { name: 'asc' } }) : [],
  ]);
  const phone = may(staff, 'customer.phone', lead) ? lead.customer.phone : maskPhone(lead.customer.phone);
  const grades = html`${FOLLOW_UP_GRADES.map((g) => html`<option value="${g}"${g === lead.grade ? html` selected` : ''}>${g}</option>`)}`;
  const pending = lead.lostRequests[0];
  const row = (label: string, value: unknown) => html`<tr><th>${label}</th><td>${value === null || value === undefined || value === '' ? '—' : String(value)}</td></tr>`;
  const content = html`<p><a href="/admin/leads">← 返回线索列表</a> · <a href="/admin/customers/${lead.customerId}">客户资料</a></p>
<table class="lead" data-lead="${lead.id}"><tbody>
${row('客户', lead.customer.name)}<tr><th>手机</th><td data-phone>${phone}</td></tr>${row('级别', lead.grade)}${row('来源', sourceLabel(lead.source))}${row('意向车型', lead.modelOfInterest)}
${row('负责顾问', lead.owner?.name ?? '无人负责')}${row('首次接触', formatTime(lead.firstVisitAt, zone))}${row('下次跟进', lead.nextFollowUpAt ? formatTime(lead.nextFollowUpAt, zone) : null)}
${row('状态', [lead.pool === 'MARKETING' ? '营销池' : '跟进中', lead.staleFlaggedAt ? '久未成交' : '', lead.lostLevel ? `战败 ${lead.lostLevel} 级：${lead.lostReason ?? ''}` : ''].filter(Boolean).join('，'))}
</tbody></table>
${['O', 'D', 'F'].includes(lead.grade) ? '' : html`<form class="grade-lead inline" method="post" action="/admin/leads/${lead.id}/grade"><label>级别<select name="grade">${grades}</select></label><label>下次跟进<input type="datetime-local" name="next"></label><button type="submit">保存级别</button></form>`}
${manager ? html`<form class="reassign-lead inline" method="post" action="/admin/leads/${lead.id}/reassign"><label>转交给<select name="toStaffId">${consultants.filter((c) => c.id !== lead.ownerStaffId).map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></label><button type="submit">转交</button></form>` : ''}
${pending ? html`<section class="lost-request"><h2>战败申请（待审批）</h2><p>${pending.requestedBy.name} 申请 ${pending.level} 级（${LOST_LEVELS[pending.level as LostLevel]}）：${pending.reason}${pending.competitorModel ? `，竞品 ${pending.competitorModel}` : ''}</p>
${manager ? html`<form method="post" action="/admin/leads/${lead.id}/lost" class="inline"><input type="hidden" name="decision" value="approve"><input name="note" maxlength="200" placeholder="说明（可不填）" aria-label="说明"><button type="submit">批准</button></form>
<form method="post" action="/admin/leads/${lead.id}/lost" class="inline"><input type="hidden" name="decision" value="reject"><label>退回级别<select name="grade">${grades}</select></label><label>下次跟进<input type="datetime-local" name="next" required></label><input name="note" maxlength="200" placeholder="说明" aria-label="驳回说明"><button type="submit">驳回</button></form>` : ''}</section>` : ''}
<h2>全部记录（${history.length}）</h2>
<ol class="history">${history.map((e) => html`<li data-kind="${e.kind}"><small>${formatTime(e.at, zone)} · ${KIND_LABELS[e.kind] ?? e.kind}${e.by ? ` · ${e.by}` : ''}</small><br><span class="task-text">${e.text}</span></li>`)}</ol>`;
  return adminPage({ title: `线索：${lead.customer.name}`, staff, content, ...(flash ? { flash } : {}) });
}

/** `/admin/leads/:id`: a lead with its whole history; grade it (its consultant, managers), reassign it and decide its lost request (managers). */
export function registerLeadPage(app: FastifyInstance, ctx: AppContext): void {
  /** The lead, when the signed-in staff member may see it; otherwise the answer is sent and null returned. */
  const load = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return null;
    const lead = await findLead(ctx, staff, request.params.id);
    if (!lead) {
      await refusePage(reply, staff, 404, { title: '线索', text: '没有找到本店的这条线索。', back: '/admin/leads' });
      return null;
    }
    if (!may(staff, 'customer.care', lead)) {
      const text = `这位客户由 ${lead.owner?.name ?? '其他同事'} 负责，只有负责顾问和经理可以查看。`;
      await refusePage(reply, staff, 403, { title: '线索', text, back: '/admin/leads' });
      return null;
    }
    return { staff, lead };
  };
  const act = async (reply: FastifyReply, staff: StaffPrincipal, leadId: string, run: () => Promise<string>) => {
    try {
      const text = await run();
      return sendHtml(reply, 200, await leadPage(ctx, staff, (await findLead(ctx, staff, leadId)) as LeadRow, { ok: true, text }));
    } catch (error) {
      if (!(error instanceof LeadActionError)) throw error;
      return sendHtml(reply, error.code === 'managers_only' || error.code === 'not_allowed' ? 403 : 400, await leadPage(ctx, staff, (await findLead(ctx, staff, leadId)) as LeadRow, { ok: false, text: `未保存：${LEAD_ERRORS[error.code]}。` }));
    }
  };
  const nextOf = async (body: unknown, staff: StaffPrincipal): Promise<Date | null> => {
    const text = formText(body, 'next', { max: 20 });
    if (text === '') return null;
    const zone = (await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } })).timeZone;
    if (!DATETIME_LOCAL.test(text)) throw new LeadActionError('nextFollowUpAt', 'next_in_past', 'is not a date and time');
    return DateTime.fromISO(text, { zone }).toJSDate();
  };

  app.get<{ Params: { id: string }; Querystring: { added?: string; existing?: string } }>('/admin/leads/:id', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const flash = request.query.added ? { ok: true, text: '已登记线索。' } : request.query.existing ? { ok: false, text: '这个号码已是本店的线索，没有重复登记：以下是已有的记录。' } : undefined;
    return sendHtml(reply, 200, await leadPage(ctx, loaded.staff, loaded.lead, flash));
  });
  app.post<{ Params: { id: string } }>('/admin/leads/:id/grade', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const grade = formText(request.body, 'grade', { max: 2 });
    return act(reply, loaded.staff, loaded.lead.id, async () => {
      const next = await nextOf(request.body, loaded.staff);
      const lead = await changeGrade(ctx.db, ctx.clock, loaded.staff, loaded.lead.id, { grade, ...(next ? { nextFollowUpAt: next } : {}) });
      return `已定为 ${lead.grade} 级。`;
    });
  });
  app.post<{ Params: { id: string } }>('/admin/leads/:id/reassign', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    return act(reply, loaded.staff, loaded.lead.id, async () => {
      const { to } = await reassignLead(ctx.db, ctx.clock, loaded.staff, loaded.lead.id, formText(request.body, 'toStaffId', { max: 40 }));
      return `已转交给 ${to.name}，已通知对方。`;
    });
  });
  app.post<{ Params: { id: string } }>('/admin/leads/:id/lost', async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const request_ = loaded.lead.lostRequests[0];
    return act(reply, loaded.staff, loaded.lead.id, async () => {
      if (!request_) throw new LeadActionError('requestId', 'request_not_found', 'no pending request');
      const note = formText(request.body, 'note', { max: 200 });
      if (formText(request.body, 'decision', { max: 10 }) === 'approve') {
        await decideLost(ctx.db, ctx.clock, loaded.staff, request_.id, { approve: true, note });
        return '已批准战败申请，已通知顾问。';
      }
      const next = await nextOf(request.body, loaded.staff);
      if (!next) throw new LeadActionError('nextFollowUpAt', 'next_in_past', 'is required');
      await decideLost(ctx.db, ctx.clock, loaded.staff, request_.id, { approve: false, grade: formText(request.body, 'grade', { max: 2 }), nextFollowUpAt: next, note });
      return '已驳回战败申请，线索退回顾问继续跟进。';
    });
  });
}
