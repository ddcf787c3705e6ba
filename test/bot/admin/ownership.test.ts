// Finding 5 of the privacy issue: a consultant could reschedule or cancel another consultant's
// order and set their customer's birthday through the admin pages (the console refused the
// same). The rule now lives in core (core/staff/authorization.ts) for pages and commands alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followRedirect, signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let mine: string;
let theirs: string;
let orderOfTheirs: string;
let me: string;
let manager: string;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = async (url: string, fields: Record<string, string>, cookie: string) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie } }), cookie);
const console_ = (text: string, cookie: string) => t.app.inject({ method: 'POST', url: '/admin/console/messages', payload: { text }, cookies: { sc_staff: cookie } });

/** A registered customer whose lead belongs to `ownerId`. */
async function customerOf(ownerId: string, phone: string): Promise<string> {
  await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone, modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true } });
  const customer = await t.ctx.db.customer.findFirstOrThrow({ where: { phone: `+86${phone}` } });
  await t.ctx.db.lead.updateMany({ where: { customerId: customer.id }, data: { ownerStaffId: ownerId } });
  return customer.id;
}

beforeEach(async () => {
  t = await createTestApp();
  me = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id;
  const colleague = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '赵顾问', role: 'CONSULTANT' } })).id;
  manager = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '孙经理', role: 'MANAGER' } })).id;
  mine = await customerOf(me, '13800000001');
  theirs = await customerOf(colleague, '13800000002');
  orderOfTheirs = (await t.ctx.db.order.create({ data: { storeId: t.setup.storeId, customerId: theirs, model: '城市SUV', orderedAt: t.clock.now(), deliveryAt: new Date('2026-11-27T06:00:00Z') } })).id;
});
afterEach(async () => {
  await t.close();
});

describe('ownership on pages and commands', () => {
  it('a consultant cannot move, cancel or deliver another consultant\'s order, nor set that customer\'s birthday; nothing changes', async () => {
    const session = await signIn(t, me);
    for (const [action, fields] of [['reschedule', { deliveryAt: '2026-11-28T10:00' }], ['cancel', { reason: '客户改主意' }], ['delivered', {}]] as const) {
      const response = await post(`/admin/orders/${orderOfTheirs}/${action}`, fields, session);
      expect(response.statusCode, action).toBe(400);
      expect(response.body).toContain('由其他顾问负责');
    }
    const birthday = await post(`/admin/customers/${theirs}/birthday`, { birthday: '1990-01-01', calendar: 'GREGORIAN' }, session);
    expect(birthday.statusCode).toBe(400);
    expect(await t.ctx.db.order.findUniqueOrThrow({ where: { id: orderOfTheirs } })).toMatchObject({ status: 'ORDERED', deliveryAt: new Date('2026-11-27T06:00:00Z') });
    expect((await t.ctx.db.customer.findUniqueOrThrow({ where: { id: theirs } })).birthday).toBeNull();
    expect(await t.ctx.db.auditEntry.count({ where: { entityId: { in: [orderOfTheirs, theirs] } } })).toBe(0);
    // Nor by recording an order for that customer, on the page or in the console.
    expect((await post('/admin/orders', { customerId: theirs, model: 'X', deliveryAt: '2026-12-01T10:00', consultantId: '' }, session)).statusCode).toBe(400);
    expect((await console_('订单 13800000002 城市SUV 2026-12-20 14:00', session)).json().reply).toContain('不是您负责的');
    expect(await t.ctx.db.order.count()).toBe(1);
  });

  it('the customer\'s own consultant and the manager may', async () => {
    const own = await signIn(t, me);
    expect((await post(`/admin/customers/${mine}/birthday`, { birthday: '1990-01-01', calendar: 'GREGORIAN' }, own)).statusCode).toBe(200);
    expect((await post('/admin/orders', { customerId: mine, model: '城市SUV', deliveryAt: '2026-12-01T10:00', consultantId: '' }, own)).statusCode).toBe(200);
    const boss = await signIn(t, manager);
    expect((await post(`/admin/orders/${orderOfTheirs}/reschedule`, { deliveryAt: '2026-11-28T10:00' }, boss)).statusCode).toBe(200);
  });
});
