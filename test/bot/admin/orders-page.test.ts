import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReachableCustomer } from '../../helpers/intents.ts';
import { followRedirect, signIn as signInAs } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let session: string;
let customerId: string;

const signIn = (staffId: string) => signInAs(t, staffId);

/** A customer who visited the test store (so they are the store's customer). */
async function storeCustomer(n: number, name?: string): Promise<string> {
  const id = await createReachableCustomer(t.ctx.db, n, t.clock.now());
  if (name) await t.ctx.db.customer.update({ where: { id }, data: { name } });
  await t.ctx.db.visit.create({ data: { customerId: id, storeId: t.setup.storeId, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
  return id;
}

beforeEach(async () => {
  // The staff stay signed in while the test moves the clock by hours (sessions have tests of their own).
  t = await createTestApp({ STORE_ADDRESS: '上海市浦东新区示例路 88 号', ADMIN_SESSION_IDLE_MINUTES: '1440' }); // now: 2026-11-22 10:00 in Shanghai
  session = await signIn(t.setup.adminStaffId);
  customerId = await storeCustomer(1, '王芳');
});
afterEach(async () => {
  await t.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const get = (q: string, cookie = session) => t.app.inject({ method: 'GET', url: `/admin/orders?q=${encodeURIComponent(q)}`, cookies: cookie ? { sc_staff: cookie } : {} });
const post = async (url: string, fields: Record<string, string> = {}, cookie = session) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: cookie ? { sc_staff: cookie } : {} }), cookie);
const record = (deliveryAt: string, model = '城市SUV') => post('/admin/orders', { customerId, model, deliveryAt, consultantId: '' });
const onlyOrder = () => t.ctx.db.order.findFirstOrThrow({ where: { customerId } });
const pending = async () => (await t.ctx.db.messageIntent.findMany({ where: { state: 'PENDING' }, orderBy: { sendAt: 'asc' } })).map((i) => [i.kind, i.sendAt.toISOString()]);

describe('orders admin page', () => {
  it('finds the store\'s customer by phone in any format or by name, with the phone masked', async () => {
    for (const q of ['13900000001', '+86 139-0000-0001', '王']) {
      const page = await get(q);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`data-customer="${customerId}"`);
      expect(page.body).toContain('139****0001');
      expect(page.body.slice(page.body.indexOf('<section'))).not.toContain('13900000001'); // only the search box echoes what was typed
    }
    expect((await get('李')).body).toContain('没有找到本店的这位客户');
  });

  it('records an order with the delivery time read in the store\'s time zone, and queues the reminders', async () => {
    const response = await record('2026-11-27T14:00');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('已登记订单');
    const order = await onlyOrder();
    expect(order.deliveryAt.toISOString()).toBe('2026-11-27T06:00:00.000Z');
    expect(order.consultantId).toBeNull();
    expect(await pending()).toEqual([
      ['delivery_reminder_72h', '2026-11-24T06:00:00.000Z'],
      ['delivery_reminder_24h', '2026-11-26T06:00:00.000Z'],
    ]);
    expect(response.body).toContain('value="2026-11-27T14:00"');
    expect(response.body).toContain('管理员 · 登记订单 · 车型 城市SUV，交车时间 2026年11月27日 14:00'); // the audit trail under the order
    expect(await t.ctx.db.auditEntry.findFirstOrThrow()).toMatchObject({ action: 'order.recorded', actorStaffId: t.setup.adminStaffId, entityId: order.id });
  });

  it('refuses a delivery in the past or a missing model, naming the field and keeping what was typed', async () => {
    const past = await record('2026-11-22T09:59');
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('交车时间：必须晚于现在');
    expect(past.body).toContain('value="2026-11-22T09:59"');
    const noModel = await record('2026-11-27T14:00', ' ');
    expect(noModel.statusCode).toBe(400);
    expect(noModel.body).toContain('车型：');
    expect((await record('not a date')).body).toContain('交车时间：请填写有效的日期和时间');
    expect(await t.ctx.db.order.count()).toBe(0);
  });

  it('reschedules: the reminders move to the new time', async () => {
    await record('2026-11-27T14:00');
    const order = await onlyOrder();
    const response = await post(`/admin/orders/${order.id}/reschedule`, { deliveryAt: '2026-11-29T10:00' });
    expect(response.statusCode).toBe(200);
    expect((await onlyOrder()).deliveryAt.toISOString()).toBe('2026-11-29T02:00:00.000Z');
    expect(await pending()).toEqual([
      ['delivery_reminder_72h', '2026-11-26T02:00:00.000Z'],
      ['delivery_reminder_24h', '2026-11-28T02:00:00.000Z'],
    ]);
    expect(response.body).toContain('交车改期 · 交车时间由 2026年11月27日 14:00 改为 2026年11月29日 10:00');
    expect((await post(`/admin/orders/${order.id}/reschedule`, { deliveryAt: '2026-11-01T10:00' })).body).toContain('必须晚于现在');
  });

  it('cancels only with a reason', async () => {
    await record('2026-11-27T14:00');
    const order = await onlyOrder();
    const refused = await post(`/admin/orders/${order.id}/cancel`, { reason: '  ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('取消原因');
    expect((await onlyOrder()).status).toBe('ORDERED');
    const done = await post(`/admin/orders/${order.id}/cancel`, { reason: '客户改买<其他>车型' });
    expect(done.statusCode).toBe(200);
    expect((await onlyOrder()).status).toBe('CANCELLED');
    expect(await pending()).toEqual([]);
    expect(done.body).toContain('原因：客户改买&lt;其他>车型');
    const again = await post(`/admin/orders/${order.id}/delivered`);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('该订单已经取消');
  });

  it('marks delivered: the thanks, the delivery survey and the first-service reminder are queued', async () => {
    await record('2026-11-27T14:00');
    const order = await onlyOrder();
    t.clock.advance(5 * 3600_000);
    const response = await post(`/admin/orders/${order.id}/delivered`);
    expect(response.statusCode).toBe(200);
    expect(await onlyOrder()).toMatchObject({ status: 'DELIVERED', deliveredAt: t.clock.now() });
    expect((await pending()).map(([kind]) => kind)).toEqual(['delivery_thanks', 'delivery_survey', 'delivery_survey_reminder', 'first_service_reminder']);
    expect(response.body).toContain('已交车');
    expect((await post(`/admin/orders/${order.id}/delivered`)).body).toContain('该订单已经交车');
  });

  it('escapes a customer name with markup', async () => {
    await storeCustomer(2, '<img src=x onerror=alert(1)>');
    const page = await get('13900000002');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)>');
    expect(page.body).not.toContain('<img src=x');
  });

  it('keeps other stores\' customers and orders out of reach', async () => {
    const other = await createReachableCustomer(t.ctx.db, 3, t.clock.now()); // never visited this store
    expect((await get('13900000003')).body).not.toContain(`data-customer="${other}"`);
    const refused = await post('/admin/orders', { customerId: other, model: 'X', deliveryAt: '2026-11-27T14:00' });
    expect(refused.statusCode).toBe(404);
    expect((await post('/admin/orders/nope/cancel', { reason: 'x' })).statusCode).toBe(404);
    expect(await t.ctx.db.order.count()).toBe(0);
  });

  it('lets consultants in, keeps the front desk out (403) and asks strangers to sign in (401)', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    // A consultant manages the orders of their own customers (ownership has tests of its own).
    await t.ctx.db.lead.create({ data: { storeId: t.setup.storeId, customerId, ownerStaffId: consultant.id, source: 'showroom', firstVisitAt: t.clock.now() } });
    const asConsultant = await signIn(consultant.id);
    expect((await get('王', asConsultant)).statusCode).toBe(200);
    expect((await post('/admin/orders', { customerId, model: '城市SUV', deliveryAt: '2026-11-27T14:00', consultantId: consultant.id }, asConsultant)).statusCode).toBe(200);
    expect((await onlyOrder()).consultantId).toBe(consultant.id);
    const desk = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '前台小王', role: 'FRONT_DESK' } });
    const asDesk = await signIn(desk.id);
    expect((await get('王', asDesk)).statusCode).toBe(403);
    expect((await post(`/admin/orders/${(await onlyOrder()).id}/cancel`, { reason: 'x' }, asDesk)).statusCode).toBe(403);
    expect((await get('王', '')).statusCode).toBe(401);
    expect((await post('/admin/orders', { customerId, model: 'X', deliveryAt: '2026-11-28T14:00' }, '')).statusCode).toBe(401);
    expect(await t.ctx.db.order.count()).toBe(1);
  });
});

describe('customer birthday on the orders page', () => {
  it('saves a lunar birthday, audited, and refuses a date in the future', async () => {
    const saved = await post(`/admin/customers/${customerId}/birthday`, { birthday: '1990-01-16', calendar: 'LUNAR' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('已保存生日');
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ birthday: '1990-01-16', birthdayCalendar: 'LUNAR' });
    expect((await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'customer.birthday' } })).entityId).toBe(customerId);

    const future = await post(`/admin/customers/${customerId}/birthday`, { birthday: '2030-01-01', calendar: 'GREGORIAN' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('生日不能晚于今天');
    expect((await post(`/admin/customers/${customerId}/birthday`, { birthday: '1990-02-30', calendar: 'GREGORIAN' })).statusCode).toBe(400);
    expect((await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).birthday).toBe('1990-01-16');
  });

  it('refuses a customer of another store', async () => {
    const stranger = await t.ctx.db.customer.create({ data: { name: '别店客户', phone: '+8613600000001' } });
    expect((await post(`/admin/customers/${stranger.id}/birthday`, { birthday: '1990-01-16', calendar: 'GREGORIAN' })).statusCode).toBe(400);
  });
});
