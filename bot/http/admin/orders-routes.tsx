import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { customersOfStore } from '../../../core/customers/customers-of-store.ts';
import { BirthdayInvalidError, setCustomerBirthday } from '../../../core/customers/set-birthday.ts';
import {
  cancelOrder,
  markDelivered,
  OrderInvalidError,
  recordOrder,
  rescheduleDelivery,
  type Actor,
  type OrderErrorCode,
} from '../../../core/orders/order-service.ts';
import { readOrdersDesk, type OrdersLookup } from '../../../core/orders/orders-desk.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { OrdersPage, type NewOrderDraft } from './orders-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import { oneOf, readFields, text } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';

const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** Reads a datetime-local value as wall-clock time in the store's zone (not the server's); Invalid Date otherwise. */
function parseLocal(value: string, timeZone: string): Date {
  const local = DATETIME_LOCAL.test(value) ? DateTime.fromISO(value, { zone: timeZone }) : null;
  return local?.isValid ? local.toJSDate() : new Date(Number.NaN);
}

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

const searchQuery = z.object({ q: text(40), customer: text(64) });
const newOrderForm = z.object({ customerId: text(64), model: text(100), deliveryAt: text(40), consultantId: text(64) });
const birthdayForm = z.object({
  birthday: text(40),
  calendar: oneOf(['GREGORIAN', 'LUNAR', ''], '请选择公历或农历。'),
});

type OrderAction = (ctx: AppContext, actor: Actor, orderId: string, body: unknown, timeZone: string) => Promise<string>;

/** What each order action does, and what to tell the staff member afterwards. */
const ORDER_ACTIONS: Record<'reschedule' | 'cancel' | 'delivered', OrderAction> = {
  reschedule: async (ctx, actor, id, body, timeZone) => {
    const form = readFields(z.object({ deliveryAt: text(40) }), body);
    const order = await rescheduleDelivery(
      ctx.db,
      ctx.clock,
      actor,
      id,
      parseLocal(form.ok ? form.data.deliveryAt : '', timeZone),
    );
    return `已改期：新的交车时间为 ${formatTime(order.deliveryAt, timeZone)}，交车提醒已按新时间安排。`;
  },
  cancel: async (ctx, actor, id, body) => {
    const form = readFields(z.object({ reason: text(200) }), body);
    await cancelOrder(ctx.db, ctx.clock, actor, id, form.ok ? form.data.reason : '');
    return '订单已取消，尚未发出的交车提醒也已取消。';
  },
  delivered: async (ctx, actor, id) => {
    await markDelivered(ctx.db, ctx.clock, actor, id);
    return '已确认交车：交车感谢、交车回访和首保提醒已安排。';
  },
};

const actorOf = (request: FastifyRequest): Actor => {
  const staff = signedIn(request);
  return { storeId: staff.storeId, staffId: staff.staffId, role: staff.role };
};
const customerPage = (customerId: string) => `/admin/orders?customer=${encodeURIComponent(customerId)}`;

/**
 * `/admin/orders` (those who care for customers: at least their own; which customer, core
 * decides per action): find a customer, record an order, move, cancel or confirm its delivery,
 * set their birthday. A done action redirects to the customer's orders.
 */
export const ordersRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const care = { preHandler: requirePermission(ctx, 'customer.care') };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    lookup: OrdersLookup,
    refusal?: { flash: Flash; draft?: NewOrderDraft },
  ) => {
    const staff = signedIn(request);
    const desk = await readOrdersDesk(ctx.db, ctx.clock, staff, lookup);
    const flash = refusal?.flash ?? takeFlash(request, reply);
    const query = 'query' in lookup ? lookup.query : '';
    return sendPage(
      reply,
      status,
      <OrdersPage staff={staff} desk={desk} query={query} flash={flash} draft={refusal?.draft ?? null} />,
    );
  };

  app.get('/admin/orders', care, async (request, reply) => {
    const search = readFields(searchQuery, request.query);
    const lookup =
      search.ok && search.data.customer !== ''
        ? { customerId: search.data.customer }
        : { query: search.ok ? search.data.q : '' };
    return show(request, reply, 200, lookup);
  });

  app.post('/admin/orders', care, async (request, reply) => {
    const staff = signedIn(request);
    const form = readFields(newOrderForm, request.body);
    if (!form.ok)
      return show(request, reply, 400, { query: '' }, { flash: { ok: false, text: '订单未登记：请检查填写的内容。' } });
    const draft = form.data;
    const customer = await ctx.db.customer.findFirst({
      where: { AND: [customersOfStore(staff.storeId), { id: draft.customerId }] },
    });
    if (!customer)
      return show(
        request,
        reply,
        404,
        { query: '' },
        { flash: { ok: false, text: '没有找到本店的这位客户，请重新查找。' } },
      );
    const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } });
    try {
      const order = await recordOrder(ctx.db, ctx.clock, actorOf(request), {
        customerId: customer.id,
        model: draft.model,
        deliveryAt: parseLocal(draft.deliveryAt, store.timeZone),
        consultantId: draft.consultantId || null,
      });
      ctx.logger.info({ orderId: order.id, staffId: staff.staffId }, 'order recorded');
      const text = `已登记订单：${order.model}，交车时间 ${formatTime(order.deliveryAt, store.timeZone)}。交车提醒已安排。`;
      return redirectWithFlash(reply, customerPage(customer.id), { ok: true, text });
    } catch (error) {
      if (!(error instanceof OrderInvalidError)) throw error;
      const message = ERROR_TEXT[error.code];
      const errors = error.field in draft ? { [error.field]: message } : {};
      return show(
        request,
        reply,
        400,
        { customerId: customer.id },
        { flash: { ok: false, text: `订单未登记。${message}` }, draft: { typed: form.typed, errors } },
      );
    }
  });

  app.post<{ Params: { id: string } }>('/admin/customers/:id/birthday', care, async (request, reply) => {
    const customerId = request.params.id;
    const refuse = (why: string) =>
      show(request, reply, 400, { customerId }, { flash: { ok: false, text: `生日未保存：${why}` } });
    const form = readFields(birthdayForm, request.body);
    if (!form.ok) return refuse(Object.values(form.errors).join(''));
    const birthday = form.data.birthday === '' ? null : form.data.birthday;
    const calendar = form.data.calendar === 'LUNAR' ? 'LUNAR' : 'GREGORIAN';
    try {
      await setCustomerBirthday(ctx.db, ctx.clock, actorOf(request), customerId, birthday, calendar);
      const text = birthday ? `已保存生日：${birthday}（${calendar === 'LUNAR' ? '农历' : '公历'}）。` : '已清除生日。';
      return redirectWithFlash(reply, customerPage(customerId), { ok: true, text });
    } catch (error) {
      if (!(error instanceof BirthdayInvalidError)) throw error;
      return refuse(error.message);
    }
  });

  for (const [name, run] of Object.entries(ORDER_ACTIONS)) {
    app.post<{ Params: { id: string } }>(`/admin/orders/:id/${name}`, care, async (request, reply) => {
      const staff = signedIn(request);
      const order = await ctx.db.order.findFirst({
        where: { id: request.params.id, storeId: staff.storeId },
        include: { store: true },
      });
      if (!order) return show(request, reply, 404, { query: '' }, { flash: { ok: false, text: '没有找到这个订单。' } });
      try {
        const text = await run(ctx, actorOf(request), order.id, request.body, order.store.timeZone);
        ctx.logger.info({ orderId: order.id, action: name, staffId: staff.staffId }, 'order admin action');
        return redirectWithFlash(reply, customerPage(order.customerId), { ok: true, text });
      } catch (error) {
        if (!(error instanceof OrderInvalidError)) throw error;
        return show(
          request,
          reply,
          400,
          { customerId: order.customerId },
          { flash: { ok: false, text: `操作未完成。${ERROR_TEXT[error.code]}` } },
        );
      }
    });
  }
};
