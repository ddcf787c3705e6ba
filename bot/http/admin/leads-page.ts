import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../app-context.ts';
import { maskPhone } from '../../../core/customers/phone.ts';
import { addLead, NewLeadInvalidError, REMOTE_SOURCES } from '../../../core/leads/add-lead.ts';
import { GRADES } from '../../../core/leads/cadence.ts';
import { sourceLabel } from '../../../core/leads/lead-history.ts';
import { gradeOf, LEAD_SOURCES, LEADS_PER_PAGE, listLeads, type LeadFilter } from '../../../core/leads/lead-list.ts';
import { FOLLOW_UP_GRADES } from '../../../core/leads/log-follow-up.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { fieldError, sendHtml } from './page-reply.ts';

const TITLE = '线索';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The query of the list page, as typed (shown back in the form). */
type Query = Partial<Record<'consultant' | 'grade' | 'source' | 'overdue' | 'stale' | 'pooled' | 'from' | 'to' | 'page', string>>;

const localDay = (text: string | undefined, zone: string, plusDays = 0): Date | undefined =>
  text && DATE.test(text) && DateTime.fromISO(text, { zone }).isValid ? DateTime.fromISO(text, { zone }).plus({ days: plusDays }).toJSDate() : undefined;

/** The filter a query asks for; what is not understood is ignored (the form only offers valid values). */
function filterOf(query: Query, zone: string): LeadFilter {
  const grade = gradeOf(query.grade ?? '');
  const from = localDay(query.from, zone);
  const to = localDay(query.to, zone, 1);
  return {
    ...(query.consultant === 'none' ? { unowned: true } : query.consultant ? { consultantId: query.consultant } : {}),
    ...(grade ? { grade } : {}),
    ...(query.source && (LEAD_SOURCES as readonly string[]).includes(query.source) ? { source: query.source } : {}),
    ...(query.overdue === '1' ? { overdue: true } : {}),
    ...(query.stale === '1' ? { stale: true } : {}),
    ...(query.pooled === '1' ? { pooled: true } : query.pooled === '0' ? { pooled: false } : {}),
    ...(from ? { from } : {}), ...(to ? { to } : {}),
  };
}

const option = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
const check = (name: string, label: string, query: Query) => html`<label class="check"><input type="checkbox" name="${name}" value="1"${query[name as keyof Query] === '1' ? html` checked` : ''}> ${label}</label>`;

async function listPage(ctx: AppContext, staff: StaffPrincipal, query: Query): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
  const manager = may(staff, 'lead.manage', storeSubject(staff));
  const consultants = manager ? await ctx.db.staff.findMany({ where: { storeId: staff.storeId, role: 'CONSULTANT' }, orderBy: [{ active: 'desc' }, { name: 'asc' }] }) : [];
  const page = Math.max(1, Math.min(10_000, Number.parseInt(query.page ?? '1', 10) || 1));
  const { total, leads } = await listLeads(ctx.db, ctx.clock, staff, filterOf(query, store.timeZone), page);
  const now = ctx.clock.now();
  const pages = Math.max(1, Math.ceil(total / LEADS_PER_PAGE));
  const pageLink = (n: number) => `/admin/leads?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>, page: String(n) })}`;
  const content = html`<p>${manager ? '本店全部线索。' : '您负责的线索。'} <a href="/admin/leads/new">登记来电/网络线索</a></p>
<form class="search lead-filter" method="get" action="/admin/leads">
${manager ? html`<label>顾问<select name="consultant">${option('', '全部', query.consultant)}${option('none', '无人负责', query.consultant)}${consultants.map((c) => option(c.id, c.active ? c.name : `${c.name}（已停用）`, query.consultant))}</select></label>` : ''}
<label>级别<select name="grade">${option('', '全部', query.grade)}${GRADES.map((g) => option(g, g, query.grade))}</select></label>
<label>来源<select name="source">${option('', '全部', query.source)}${LEAD_SOURCES.map((s) => option(s, sourceLabel(s), query.source))}</select></label>
${check('overdue', '已逾期', query)}${check('stale', '久未成交', query)}
<label>公海<select name="pooled">${option('', '全部', query.pooled)}${option('0', '跟进中', query.pooled)}${option('1', '已转营销池', query.pooled)}</select></label>
<label>首次接触从<input type="date" name="from" value="${query.from ?? ''}"></label><label>到<input type="date" name="to" value="${query.to ?? ''}"></label>
<button type="submit">筛选</button></form>
<p data-total="${total}">共 ${total} 条${pages > 1 ? `，第 ${page}/${pages} 页` : ''}</p>
${leads.length === 0 ? html`<p>没有符合条件的线索。</p>` : html`<table class="leads"><thead><tr><th>客户</th><th>级别</th><th>来源</th><th>顾问</th><th>首次接触</th><th>下次跟进</th><th>状态</th></tr></thead><tbody>
${leads.map((l) => html`<tr data-lead="${l.id}"><td><a href="/admin/leads/${l.id}">${l.customer.name}</a> ${maskPhone(l.customer.phone)}</td><td>${l.grade}</td><td>${sourceLabel(l.source)}</td><td>${l.owner?.name ?? '无人负责'}</td>
<td>${formatTime(l.firstVisitAt, store.timeZone)}</td><td>${l.nextFollowUpAt ? html`${formatTime(l.nextFollowUpAt, store.timeZone)}${l.nextFollowUpAt < now ? html` <strong class="field-error" data-overdue="${l.id}">已逾期</strong>` : ''}` : '—'}</td>
<td>${[l.pool === 'MARKETING' ? '营销池' : '', l.staleFlaggedAt ? '久未成交' : '', l.lostRequests.length ? '战败待审' : ''].filter(Boolean).join('、') || '跟进中'}</td></tr>`)}
</tbody></table>`}
${pages > 1 ? html`<p>${page > 1 ? html`<a href="${pageLink(page - 1)}">上一页</a> ` : ''}${page < pages ? html`<a href="${pageLink(page + 1)}">下一页</a>` : ''}</p>` : ''}`;
  return adminPage({ title: TITLE, staff, content });
}

/** What was typed into the new-lead form. */
type Draft = Record<'name' | 'phone' | 'source' | 'model' | 'grade' | 'next' | 'ownerStaffId' | 'serviceConsent', string>;
const EMPTY: Draft = { name: '', phone: '', source: 'phone', model: '', grade: 'N', next: '', ownerStaffId: '', serviceConsent: '' };
const SOURCE_NAMES: Record<string, string> = { phone: '来电', online: '网络（官网、汽车之家、抖音等）', referral: '转介绍', other: '其他' };

async function newLeadPage(ctx: AppContext, staff: StaffPrincipal, draft: Draft, errors?: Record<string, string>): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } } } });
  const consultants = staff.role === 'CONSULTANT' ? [] : await ctx.db.staff.findMany({ where: { storeId: staff.storeId, role: 'CONSULTANT', active: true }, orderBy: { name: 'asc' } });
  const content = html`<p><a href="/admin/leads">← 返回线索列表</a></p>
<p>没有到店的客户（来电、网络咨询）：不发礼品券，不默认同意任何消息。</p>
<form class="new-lead" method="post" action="/admin/leads">
<label>姓名<input name="name" maxlength="30" required value="${draft.name}"></label>${fieldError(errors, 'name')}
<label>手机号<input name="phone" inputmode="tel" maxlength="20" required value="${draft.phone}"></label>${fieldError(errors, 'phone')}
<label>来源<select name="source">${REMOTE_SOURCES.map((s) => option(s, SOURCE_NAMES[s] ?? s, draft.source))}</select></label>${fieldError(errors, 'source')}
<label>意向车型<select name="model">${option('', '未确定', draft.model)}${store.carModels.map((m) => option(m.name, m.name, draft.model))}</select></label>${fieldError(errors, 'model')}
<label>级别<select name="grade">${FOLLOW_UP_GRADES.map((g) => option(g, g, draft.grade))}</select></label>${fieldError(errors, 'grade')}
<label>下次跟进（不填按级别的跟进周期）<input type="datetime-local" name="next" value="${draft.next}"></label>${fieldError(errors, 'nextFollowUpAt')}
${consultants.length ? html`<label>负责顾问<select name="ownerStaffId">${option('', '暂不分配', draft.ownerStaffId)}${consultants.map((c) => option(c.id, c.name, draft.ownerStaffId))}</select></label>${fieldError(errors, 'ownerStaffId')}` : ''}
<label class="check"><input type="checkbox" name="serviceConsent" value="1"${draft.serviceConsent ? html` checked` : ''}> 客户在电话中听了隐私说明，同意接收服务消息（营销消息须客户本人另行同意）</label>
<button type="submit">登记线索</button></form>`;
  return adminPage({ title: '登记来电/网络线索', staff, content, ...(errors ? { flash: { ok: false, text: `线索未登记。${Object.values(errors).join('')}` } } : {}) });
}

/** `/admin/leads`: the leads with filters (a consultant sees their own); `/admin/leads/new` and `POST /admin/leads`: a lead who phoned or wrote in. */
export function registerLeadsPage(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: Query }>('/admin/leads', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const query = Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, formText({ v }, 'v', { max: 40 })])) as Query;
    return sendHtml(reply, 200, await listPage(ctx, staff, query));
  });
  app.get('/admin/leads/new', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return sendHtml(reply, 200, await newLeadPage(ctx, staff, EMPTY));
  });
  app.post('/admin/leads', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const draft = Object.fromEntries(Object.keys(EMPTY).map((k) => [k, formText(request.body, k, { max: 60 })])) as Draft;
    const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
    const next = draft.next === '' ? null : DATETIME_LOCAL.test(draft.next) ? DateTime.fromISO(draft.next, { zone: store.timeZone }).toJSDate() : new Date(Number.NaN);
    if (next && Number.isNaN(next.getTime())) return sendHtml(reply, 400, await newLeadPage(ctx, staff, draft, { nextFollowUpAt: '下次跟进：请填写有效的日期和时间。' }));
    try {
      const result = await addLead(ctx.db, ctx.clock, staff, { ...draft, nextFollowUpAt: next, serviceConsent: draft.serviceConsent !== '' });
      ctx.logger.info({ leadId: result.leadId, status: result.status }, 'lead added');
      return reply.redirect(`/admin/leads/${result.leadId}?${result.status === 'existing' ? 'existing=1' : 'added=1'}`, 303);
    } catch (error) {
      if (!(error instanceof NewLeadInvalidError)) throw error;
      return sendHtml(reply, 400, await newLeadPage(ctx, staff, draft, error.fields));
    }
  });
}
