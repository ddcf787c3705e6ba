import { hasCustomerAddress } from '../../../core/journeys/journey-message.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../app-context.ts';
import { customersOfStore } from '../../../core/customers/customers-of-store.ts';
import { storeCustomerIdsNamed } from '../../../core/customers/customers-named.ts';
import { maskPhone, normalizePhone } from '../../../core/customers/phone.ts';
import type { Prisma } from '../../../core/db/generated/client.ts';
import { cancelOrder, markDelivered, OrderInvalidError, recordOrder, rescheduleDelivery, type Actor, type OrderErrorCode } from '../../../core/orders/order-service.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { birthdayForm, registerCustomerBirthday } from './customer-birthday.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { may } from '../../../core/staff/authorization.ts';

type Flash = { ok: boolean; text: string };
/** What the staff member typed into the new-order form, shown again after a refusal. */
type Draft = { customerId: string; model: string; deliveryAt: string; consultantId: string };

const TITLE = '订单与交车';
const SEARCH_RESULTS = 20;
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const STATUS_LABELS = { ORDERED: '待交车', DELIVERED: '已交车', CANCELLED: '已取消' } as const;
const ACTION_LABELS: Record<string, string> = { 'order.recorded': '登记订单', 'order.rescheduled': '交车改期', 'order.cancelled': '取消订单', 'order.delivered': '确认交车' };

const customerInclude = { orders: { include: { consultant: true }, orderBy: { deliveryAt: 'desc' } } } satisfies Prisma.CustomerInclude;
type CustomerRow = Prisma.CustomerGetPayload<{ include: typeof customerInclude }>;
type OrderRow = CustomerRow['orders'][number];
type AuditRow = Prisma.AuditEntryGetPayload<{ include: { actor: true } }>;


/** Reads a datetime-local value as wall-clock time in the store's zone (not the server's); Invalid Date otherwise. */
function parseLocal(value: string, timeZone: string): Date {
  const local = DATETIME_LOCAL.test(value) ? DateTime.fromISO(value, { zone: timeZone }) : null;
  return local?.isValid ? local.toJSDate() : new Date(Number.NaN);
}
const toLocalInput = (instant: Date, timeZone: string): string => DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** What to fix, in Chinese, per reason core gave. */
const ERROR_TEXT: Record<OrderErrorCode, string> = {
  delivery_invalid: '交车时间：请填写有效的日期和时间。',
  delivery_in_past: '交车时间：必须晚于现在，请选择将来的日期和时间。',
  delivery_before_order: '交车时间：必须晚于签单时间。',
  delivered_in_future: '交车确认：交车时间不能晚于现在。',
  delivered_before_order: '交车确认：交车时间不能早于签单时间。',
  order_not_found: '订单：没有找到这个订单。',
  order_delivered: '订单：该订单已经交车，不能再改期、取消或重复确认交车。',
  order_cancelled: '订单：该订单已经取消，不能再改期、取消或确认交车。',
  reason_missing: '取消原因：请填写客户取消订单的原因。',
  model_invalid: '车型：请填写所售车型（1–60 个字）。',
  customer_not_found: '客户：没有找到这位客户。',
  consultant_invalid: '销售顾问：请从列表中选择本店的销售顾问。',
  not_allowed: '这位客户由其他顾问负责：只有他的顾问、经理或管理员可以管理他的订单。',
};
const errorText = (error: OrderInvalidError): string => ERROR_TEXT[error.code];

function auditDetails(action: string, raw: string, timeZone: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  const time = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? formatTime(new Date(v), timeZone) : String(v ?? ''));
  switch (action) {
    case 'order.recorded': return `车型 ${String(d.model ?? '')}，交车时间 ${time(d.deliveryAt)}`;
    case 'order.rescheduled': return `交车时间由 ${time(d.from)} 改为 ${time(d.to)}`;
    case 'order.cancelled': return `原因：${String(d.reason ?? '')}`;
    case 'order.delivered': return `交车时间 ${time(d.deliveredAt)}`;
    default: return raw;
  }
}

function orderRows(order: OrderRow, audit: AuditRow[], timeZone: string, now: Date): SafeHtml {
  const open = order.status === 'ORDERED';
  const actions = open
    ? html`<form method="post" action="/admin/orders/${order.id}/reschedule"><input type="datetime-local" name="deliveryAt" value="${toLocalInput(order.deliveryAt, timeZone)}" min="${toLocalInput(now, timeZone)}" aria-label="新的交车时间" required><button type="submit">改期</button></form>
<form method="post" action="/admin/orders/${order.id}/cancel"><input name="reason" placeholder="取消原因" aria-label="取消原因" maxlength="200" required><button type="submit">取消订单</button></form>
<form method="post" action="/admin/orders/${order.id}/delivered"><button type="submit">确认已交车</button></form>`
    : '';
  return html`<tr data-order="${order.id}"><td>${order.model}</td><td>${formatTime(order.deliveryAt, timeZone)}</td><td>${STATUS_LABELS[order.status]}</td><td>${order.consultant?.name ?? '—'}</td><td>${actions}</td></tr>
<tr class="audit"><td colspan="5"><small>操作记录：</small><ul>${audit.map((a) => html`<li><small>${formatTime(a.at, timeZone)} · ${a.actor?.name ?? '系统'} · ${ACTION_LABELS[a.action] ?? a.action} · ${auditDetails(a.action, a.details, timeZone)}</small></li>`)}</ul></td></tr>`;
}

interface Choices { timeZone: string; now: Date; models: string[]; consultants: { id: string; name: string }[]; defaultConsultant: string }

function customerSection(c: CustomerRow, audit: Map<string, AuditRow[]>, choices: Choices, draft?: Draft): SafeHtml {
  const typed = draft?.customerId === c.id ? draft : undefined;
  const consultantId = typed?.consultantId ?? choices.defaultConsultant;
  return html`<section class="customer" data-customer="${c.id}">
<h2>${c.name}（${maskPhone(c.phone)}）</h2>
${birthdayForm(c)}
${c.orders.length === 0 ? html`<p>还没有订单。</p>` : html`<table class="orders"><thead><tr><th>车型</th><th>交车时间</th><th>状态</th><th>销售顾问</th><th>操作</th></tr></thead><tbody>
${c.orders.map((o) => orderRows(o, audit.get(o.id) ?? [], choices.timeZone, choices.now))}</tbody></table>`}
<form class="new-order" method="post" action="/admin/orders"><input type="hidden" name="customerId" value="${c.id}">
<label>车型<input name="model" list="car-models" value="${typed?.model ?? ''}" maxlength="60" required></label>
<label>交车时间（门店当地时间）<input type="datetime-local" name="deliveryAt" value="${typed?.deliveryAt ?? ''}" min="${toLocalInput(choices.now, choices.timeZone)}" required></label>
<label>销售顾问<select name="consultantId"><option value="">（不指定）</option>${choices.consultants.map((s) => html`<option value="${s.id}"${s.id === consultantId ? html` selected` : ''}>${s.name}</option>`)}</select></label>
<button type="submit">登记订单</button></form>
</section>`;
}

/** The page: the search box and, when given, the store's customers matching `where` with their orders. */
async function ordersPage(ctx: AppContext, staff: StaffPrincipal, opts: { query: string; where: Prisma.CustomerWhereInput | null; flash?: Flash; draft?: Draft }): Promise<string> {
  const storeId = staff.storeId;
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: storeId }, include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } } } });
  const customers = opts.where
    ? await ctx.db.customer.findMany({ where: { AND: [customersOfStore(storeId), opts.where] }, include: { orders: { ...customerInclude.orders, where: { storeId } } }, orderBy: { name: 'asc' }, take: SEARCH_RESULTS })
    : [];
  const orderIds = customers.flatMap((c) => c.orders.map((o) => o.id));
  const [entries, consultants] = await Promise.all([
    orderIds.length === 0 ? [] : ctx.db.auditEntry.findMany({ where: { storeId, entity: 'order', entityId: { in: orderIds } }, include: { actor: true }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    ctx.db.staff.findMany({ where: { storeId, active: true, role: 'CONSULTANT' }, orderBy: { name: 'asc' } }),
  ]);
  const audit = new Map<string, AuditRow[]>();
  for (const entry of entries) audit.set(entry.entityId, [...(audit.get(entry.entityId) ?? []), entry]);
  const choices: Choices = {
    timeZone: store.timeZone, now: ctx.clock.now(), models: store.carModels.map((m) => m.name), consultants, defaultConsultant: staff.role === 'CONSULTANT' ? staff.staffId : '',
  };
  const results = opts.where === null ? '' : customers.length === 0 ? html`<p>没有找到本店的这位客户，请核对手机号或姓名。</p>` : customers.map((c) => customerSection(c, audit, choices, opts.draft));
  const noAddress = hasCustomerAddress(store) ? '' : html`<p class="flash err">门店地址还没有填写：交车提醒里会只写门店名称“${store.name}”。请管理员在门店设置中填写地址（首次启动前可用 <code>STORE_ADDRESS</code> 设置）。</p>`;
  const content = html`${noAddress}<form class="search" method="get" action="/admin/orders">
  <input name="q" value="${opts.query}" placeholder="输入客户手机号或姓名" aria-label="客户手机号或姓名" maxlength="40" autofocus>
  <button type="submit">查找</button>
</form>
<datalist id="car-models">${choices.models.map((m) => html`<option value="${m}">`)}</datalist>
${results}`;
  return adminPage({ title: TITLE, staff, content, ...(opts.flash ? { flash: opts.flash } : {}) });
}

type OrderAction = (ctx: AppContext, actor: Actor, orderId: string, body: unknown, timeZone: string) => Promise<string>;

/** What each order action does, and what to tell the staff member afterwards. */
const ORDER_ACTIONS: Record<'reschedule' | 'cancel' | 'delivered', OrderAction> = {
  reschedule: async (ctx, actor, id, body, timeZone) => {
    const order = await rescheduleDelivery(ctx.db, ctx.clock, actor, id, parseLocal(formText(body, 'deliveryAt', { max: 40 }), timeZone));
    return `已改期：新的交车时间为 ${formatTime(order.deliveryAt, timeZone)}，交车提醒已按新时间安排。`;
  },
  cancel: async (ctx, actor, id, body) => {
    await cancelOrder(ctx.db, ctx.clock, actor, id, formText(body, 'reason', { max: 200 }));
    return '订单已取消，尚未发出的交车提醒也已取消。';
  },
  delivered: async (ctx, actor, id) => {
    await markDelivered(ctx.db, ctx.clock, actor, id);
    return '已确认交车：交车感谢、交车回访和首保提醒已安排。';
  },
};

/** `/admin/orders`: find a customer, record an order, move, cancel or confirm its delivery; with each order's audit trail. */
export function registerOrdersPage(app: FastifyInstance, ctx: AppContext): void {
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = await requireStaff(ctx, request, reply);
    // The page is for those who care for customers: at least their own (which customer, core decides per action).
    if (staff && !may(staff, 'customer.care', { storeId: staff.storeId, ownerStaffId: staff.staffId })) {
      await reply.code(403).type('text/html; charset=utf-8').send(adminPage({ title: TITLE, staff, content: html`<p>只有管理员、经理和销售顾问可以管理订单与交车。</p>` }));
      return null;
    }
    return staff;
  };
  const send = async (reply: FastifyReply, status: number, body: Promise<string>) => reply.code(status).type('text/html; charset=utf-8').send(await body);

  app.get('/admin/orders', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const query = formText(request.query, 'q', { max: 40 });
    const phone = normalizePhone(query);
    // A name is matched literally: % and _ are not wildcards.
    const where = query === '' ? null : phone ? { phone } : { id: { in: await storeCustomerIdsNamed(ctx.db, staff.storeId, query, SEARCH_RESULTS) } };
    return send(reply, 200, ordersPage(ctx, staff, { query, where }));
  });

  app.post('/admin/orders', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const body = request.body;
    const draft: Draft = { customerId: formText(body, 'customerId', { max: 64 }), model: formText(body, 'model', { max: 100 }), deliveryAt: formText(body, 'deliveryAt', { max: 40 }), consultantId: formText(body, 'consultantId', { max: 64 }) };
    const customer = await ctx.db.customer.findFirst({ where: { AND: [customersOfStore(staff.storeId), { id: draft.customerId }] } });
    if (!customer) return send(reply, 404, ordersPage(ctx, staff, { query: '', where: null, flash: { ok: false, text: '没有找到本店的这位客户，请重新查找。' } }));
    const where = { id: customer.id };
    const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
    try {
      const order = await recordOrder(ctx.db, ctx.clock, { storeId: staff.storeId, staffId: staff.staffId, role: staff.role }, {
        customerId: customer.id, model: draft.model, deliveryAt: parseLocal(draft.deliveryAt, store.timeZone), consultantId: draft.consultantId || null,
      });
      ctx.logger.info({ orderId: order.id, staffId: staff.staffId }, 'order recorded');
      return send(reply, 200, ordersPage(ctx, staff, { query: '', where, flash: { ok: true, text: `已登记订单：${order.model}，交车时间 ${formatTime(order.deliveryAt, store.timeZone)}。交车提醒已安排。` } }));
    } catch (error) {
      if (!(error instanceof OrderInvalidError)) throw error;
      return send(reply, 400, ordersPage(ctx, staff, { query: '', where, draft, flash: { ok: false, text: `订单未登记。${errorText(error)}` } }));
    }
  });

  registerCustomerBirthday(app, ctx, guard, (reply, staff, status, customerId, flash) =>
    send(reply, status, ordersPage(ctx, staff, { query: '', where: { id: customerId }, flash })));

  for (const [name, run] of Object.entries(ORDER_ACTIONS)) {
    app.post<{ Params: { id: string } }>(`/admin/orders/:id/${name}`, async (request, reply) => {
      const staff = await guard(request, reply);
      if (!staff) return reply;
      const order = await ctx.db.order.findFirst({ where: { id: request.params.id, storeId: staff.storeId }, include: { store: true } });
      if (!order) return send(reply, 404, ordersPage(ctx, staff, { query: '', where: null, flash: { ok: false, text: '没有找到这个订单。' } }));
      const where = { id: order.customerId };
      try {
        const text = await run(ctx, { storeId: staff.storeId, staffId: staff.staffId, role: staff.role }, order.id, request.body, order.store.timeZone);
        ctx.logger.info({ orderId: order.id, action: name, staffId: staff.staffId }, 'order admin action');
        return send(reply, 200, ordersPage(ctx, staff, { query: '', where, flash: { ok: true, text } }));
      } catch (error) {
        if (!(error instanceof OrderInvalidError)) throw error;
        return send(reply, 400, ordersPage(ctx, staff, { query: '', where, flash: { ok: false, text: `操作未完成。${errorText(error)}` } }));
      }
    });
  }
}
