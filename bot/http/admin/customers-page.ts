import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { CONTACT_WAYS, ProfileInvalidError, saveCustomerProfile, type ProfileInput } from '../../../core/customers/customer-profile.ts';
import { customersOfStore } from '../../../core/customers/customers-of-store.ts';
import { storeCustomerIdsNamed } from '../../../core/customers/customers-named.ts';
import { DeskVisitError, recordDeskVisit } from '../../../core/customers/desk-visit.ts';
import { honorificOf, SALUTATIONS } from '../../../core/customers/honorific.ts';
import { maskPhone, normalizePhone } from '../../../core/customers/phone.ts';
import { customerSubject, may, type Subject } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { fieldError, refusePage, sendHtml } from './page-reply.ts';

const TITLE = '客户';
const WAY_LABELS: Record<string, string> = { phone: '电话', wechat: '微信', sms: '短信', visit: '到店面谈' };
const LONG = { address: 200, contactTime: 60, vehicleModel: 60, notes: 1000 } as const;
type Flash = { ok: boolean; text: string };

/** `/admin/customers?q=`: the store's customers by phone (exact) or name (part of it), at most 20. */
async function searchPage(ctx: AppContext, staff: StaffPrincipal, q: string): Promise<string> {
  const phone = normalizePhone(q);
  const ids = q === '' ? [] : phone ? (await ctx.db.customer.findMany({ where: { phone, ...customersOfStore(staff.storeId) }, select: { id: true } })).map((c) => c.id) : await storeCustomerIdsNamed(ctx.db, staff.storeId, q, 20);
  const customers = await ctx.db.customer.findMany({ where: { id: { in: ids } }, include: { leads: { where: { storeId: staff.storeId }, include: { owner: true } } }, orderBy: { name: 'asc' } });
  const content = html`<form class="search" method="get" action="/admin/customers"><input name="q" value="${q}" maxlength="40" placeholder="手机号或姓名" aria-label="手机号或姓名"><button type="submit">查找</button></form>
${may(staff, 'customer.import', { storeId: staff.storeId, ownerStaffId: null }) ? html`<p><a href="/admin/customers/import">导入客户</a></p>` : ''}
${q === '' ? '' : customers.length === 0 ? html`<p>本店没有符合的客户。</p>` : html`<table class="customers"><thead><tr><th>客户</th><th>手机</th><th>级别</th><th>顾问</th></tr></thead><tbody>
${customers.map((c) => html`<tr data-customer="${c.id}"><td><a href="/admin/customers/${c.id}">${c.name}</a></td><td>${maskPhone(c.phone)}</td><td>${c.leads[0]?.grade ?? '—'}</td><td>${c.leads[0]?.owner?.name ?? '—'}</td></tr>`)}</tbody></table>`}`;
  return adminPage({ title: TITLE, staff, content });
}

async function findCustomer(ctx: AppContext, staff: StaffPrincipal, id: string) {
  return ctx.db.customer.findFirst({ where: { id, erasedAt: null, ...customersOfStore(staff.storeId) } });
}
type CustomerRow = NonNullable<Awaited<ReturnType<typeof findCustomer>>>;

async function customerPage(ctx: AppContext, staff: StaffPrincipal, customer: CustomerRow, subject: Subject, extra: { flash?: Flash; draft?: ProfileInput; errors?: Record<string, string> } = {}): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } } } });
  const [lead, lastVisit] = await Promise.all([
    ctx.db.lead.findUnique({ where: { storeId_customerId: { storeId: staff.storeId, customerId: customer.id } }, include: { owner: true } }),
    ctx.db.visit.findFirst({ where: { storeId: staff.storeId, customerId: customer.id }, orderBy: { visitedAt: 'desc' } }),
  ]);
  const phone = may(staff, 'customer.phone', subject) ? customer.phone : maskPhone(customer.phone);
  const d: ProfileInput = extra.draft ?? {
    name: customer.name, phone, salutation: customer.salutation ?? '', address: customer.address ?? '', contactTime: customer.contactTime ?? '', contactWay: customer.contactWay ?? '',
    vehicleModel: customer.vehicleModel ?? '', vin: customer.vin ?? '', plate: customer.plate ?? '', driverName: customer.driverName ?? '', notes: customer.notes ?? '',
  };
  const err = (name: string) => fieldError(extra.errors, name);
  const input = (name: keyof ProfileInput, label: string, max: number) => html`<label>${label}<input name="${name}" maxlength="${max}" value="${d[name]}"></label>${err(name)}`;
  const select = (name: keyof ProfileInput, label: string, values: readonly string[], labels: Record<string, string>) =>
    html`<label>${label}<select name="${name}"><option value="">不填</option>${values.map((v) => html`<option value="${v}"${d[name] === v ? html` selected` : ''}>${labels[v] ?? v}</option>`)}</select></label>${err(name)}`;
  const profile = may(staff, 'customer.care', subject) ? html`<form class="profile" method="post" action="/admin/customers/${customer.id}/profile"><h2>客户资料</h2>
${input('name', '姓名', 30)}${input('phone', '手机号', 20)}
${select('salutation', '称呼（消息里称“张先生/张女士”）', SALUTATIONS, {})}
${input('address', '住址', LONG.address)}${input('contactTime', '方便联系的时间（如 工作日晚上）', LONG.contactTime)}${select('contactWay', '希望的联系方式', CONTACT_WAYS, WAY_LABELS)}
<fieldset><legend>车辆（交车后填写）</legend>${err('vehicle')}${input('vehicleModel', '车型', LONG.vehicleModel)}${input('vin', '车架号（VIN）', 17)}${input('plate', '车牌号', 10)}
${input('driverName', '用车人（不是购车人本人时填写）', 30)}</fieldset>
<label>备注<textarea name="notes" maxlength="${LONG.notes}">${d.notes}</textarea></label>${err('notes')}
<button type="submit">保存资料</button></form>` : '';
  const content = html`<p><a href="/admin/customers">← 查找客户</a>${lead && may(staff, 'customer.care', subject) ? html` · <a href="/admin/leads/${lead.id}">线索与全部记录</a>` : ''}</p>
<table class="customer" data-customer="${customer.id}"><tbody><tr><th>客户</th><td>${customer.name}（消息称呼：${honorificOf(customer.name, customer.salutation)}）</td></tr><tr><th>手机</th><td data-phone>${phone}</td></tr>
<tr><th>级别 · 顾问</th><td>${lead ? `${lead.grade} · ${lead.owner?.name ?? '无人负责'}` : '—'}</td></tr><tr><th>最近到店</th><td>${lastVisit ? formatTime(lastVisit.visitedAt, store.timeZone) : '—'}</td></tr></tbody></table>
${lead && may(staff, 'visit.record', subject) ? html`<form class="desk-visit inline" method="post" action="/admin/customers/${customer.id}/visits"><label>意向车型<select name="model"><option value="">未确定</option>${store.carModels.map((m) => html`<option value="${m.name}">${m.name}</option>`)}</select></label><button type="submit">登记到店</button></form>` : ''}
${profile}`;
  return adminPage({ title: `客户：${customer.name}`, staff, content, ...(extra.flash ? { flash: extra.flash } : {}) });
}

/** `/admin/customers`: find a customer; their page (profile, 到店), and the profile's and the desk's forms. */
export function registerCustomersPage(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { q?: string } }>('/admin/customers', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return sendHtml(reply, 200, await searchPage(ctx, staff, formText(request.query, 'q', { max: 40 })));
  });
  /** The customer and whose they are, when the staff member may see them (their care or the desk); otherwise answered. */
  const load = async (staff: StaffPrincipal, id: string, reply: FastifyReply) => {
    const customer = await findCustomer(ctx, staff, id);
    if (!customer) return void (await refusePage(reply, staff, 404, { title: TITLE, text: '没有找到本店的这位客户。', back: '/admin/customers' }));
    const subject = await customerSubject(ctx.db, staff.storeId, customer.id);
    if (!may(staff, 'customer.care', subject) && !may(staff, 'visit.record', subject)) {
      return void (await refusePage(reply, staff, 403, { title: TITLE, text: '这位客户由其他顾问负责，只有他的顾问、经理和前台可以查看。', back: '/admin/customers' }));
    }
    return { customer, subject };
  };
  app.get<{ Params: { id: string } }>('/admin/customers/:id', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    const loaded = staff && (await load(staff, request.params.id, reply));
    if (!staff || !loaded) return reply;
    return sendHtml(reply, 200, await customerPage(ctx, staff, loaded.customer, loaded.subject));
  });
  app.post<{ Params: { id: string } }>('/admin/customers/:id/profile', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    const loaded = staff && (await load(staff, request.params.id, reply));
    if (!staff || !loaded) return reply;
    const body = request.body;
    const text = (name: keyof ProfileInput, max: number) => formText(body, name, { max, multiline: name === 'notes' || name === 'address' });
    const draft: ProfileInput = {
      name: text('name', 40), phone: text('phone', 40), salutation: text('salutation', 10), address: text('address', LONG.address + 1), contactTime: text('contactTime', LONG.contactTime + 1),
      contactWay: text('contactWay', 20), vehicleModel: text('vehicleModel', LONG.vehicleModel + 1), vin: text('vin', 40), plate: text('plate', 20), driverName: text('driverName', 40), notes: text('notes', LONG.notes + 1),
    };
    // Someone who reads the number masked sends it back masked: that keeps the number.
    const input = draft.phone === maskPhone(loaded.customer.phone) ? { ...draft, phone: loaded.customer.phone } : draft;
    try {
      const changed = await saveCustomerProfile(ctx.db, ctx.clock, staff, loaded.customer.id, input);
      const customer = (await findCustomer(ctx, staff, loaded.customer.id)) as CustomerRow;
      return sendHtml(reply, 200, await customerPage(ctx, staff, customer, loaded.subject, { flash: { ok: true, text: changed.length ? '资料已保存。' : '资料没有变化。' } }));
    } catch (error) {
      if (!(error instanceof ProfileInvalidError)) throw error;
      const status = error.fields.customer ? 403 : 400;
      return sendHtml(reply, status, await customerPage(ctx, staff, loaded.customer, loaded.subject, { flash: { ok: false, text: `资料未保存。${Object.values(error.fields).join('')}` }, draft, errors: error.fields }));
    }
  });
  app.post<{ Params: { id: string } }>('/admin/customers/:id/visits', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    const loaded = staff && (await load(staff, request.params.id, reply));
    if (!staff || !loaded) return reply;
    try {
      await recordDeskVisit(ctx.db, ctx.clock, staff, loaded.customer.id, formText(request.body, 'model', { max: 60 }));
      return sendHtml(reply, 200, await customerPage(ctx, staff, loaded.customer, loaded.subject, { flash: { ok: true, text: '已登记到店，已通知负责顾问。' } }));
    } catch (error) {
      if (!(error instanceof DeskVisitError)) throw error;
      const status = may(staff, 'visit.record', loaded.subject) ? 400 : 403;
      return sendHtml(reply, status, await customerPage(ctx, staff, loaded.customer, loaded.subject, { flash: { ok: false, text: `未登记到店：${error.message}` } }));
    }
  });
}
