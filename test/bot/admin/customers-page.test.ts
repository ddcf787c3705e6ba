// Customers (issue #18): repeat visits (a later campaign, the desk's 到店) with their thank-you,
// at most one survey in the window and the consultant told; the customer profile, its checks,
// its audit trail, and the honorific the templates use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../../core/registration/registration-request.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
const staff: Record<string, string> = {};
const cookie: Record<string, string> = {};
const DAY = 24 * 3600_000;

beforeEach(async () => {
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440' });
  for (const [key, name, role] of [['me', '李顾问', 'CONSULTANT'], ['colleague', '赵顾问', 'CONSULTANT'], ['manager', '孙经理', 'MANAGER'], ['desk', '钱前台', 'FRONT_DESK']] as const) {
    staff[key] = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role } })).id;
  }
  staff.admin = t.setup.adminStaffId;
  await signAll();
});
afterEach(async () => {
  await t.close();
});

async function signAll(): Promise<void> {
  for (const key of Object.keys(staff)) cookie[key] = await signIn(t, staff[key] ?? '');
}
const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie[who] ?? '' } });
const post = (url: string, who: string, fields: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie[who] ?? '' } });

/** Registers with a proven number (an SMS code) from the source `code`, as a returning customer would. */
async function register(code: string, phone = '13900000001', name = '张伟'): Promise<string> {
  const request = parseRegistrationRequest({ source: code, name, phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
  const result = await registerCustomer(t.ctx.db, t.clock, request, { channel: 'WEB', chatId: `web-${phone}`, surface: 'web-form', locale: 'zh-CN', proof: { method: 'sms_code', phone: `+86${phone}` } });
  return result.customerId as string;
}

async function laterCampaign(): Promise<void> {
  const campaign = await t.ctx.db.campaign.create({ data: { storeId: t.setup.storeId, name: '春季试驾节', startsAt: t.clock.now(), gifts: { create: { name: '车载香薰', totalStock: 10, stockLeft: 10 } } } });
  await t.ctx.db.qrSource.create({ data: { code: 'spring', label: '春季海报', channel: 'WEB', storeId: t.setup.storeId, campaignId: campaign.id } });
}

const counts = async (customerId: string) => ({
  visits: await t.ctx.db.visit.count({ where: { customerId } }),
  thanks: await t.ctx.db.messageIntent.count({ where: { customerId, kind: 'visit_thanks' } }),
  surveys: await t.ctx.db.survey.count({ where: { customerId } }),
  told: await t.ctx.db.messageIntent.count({ where: { staffId: staff.me, kind: 'repeat_visit' } }),
});

describe('repeat visits', () => {
  it('a scan in a later campaign is a new visit with a thank-you and the consultant told, but no second survey within the window', async () => {
    const customerId = await register('showroom');
    await t.ctx.db.lead.updateMany({ where: { customerId }, data: { ownerStaffId: staff.me } });
    expect(await counts(customerId)).toEqual({ visits: 1, thanks: 1, surveys: 1, told: 0 });
    t.clock.advance(3 * DAY);
    await laterCampaign();
    await register('spring');
    expect(await counts(customerId)).toEqual({ visits: 2, thanks: 2, surveys: 1, told: 1 });
    const told = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { staffId: staff.me, kind: 'repeat_visit' } });
    expect(told.payload).toContain('第 2 次到店');
    expect(told.payload).not.toContain('13900000001');
  });

  it('the front desk marks 到店 once a day; past the survey window the visit gets its own survey', async () => {
    const customerId = await register('showroom');
    await t.ctx.db.lead.updateMany({ where: { customerId }, data: { ownerStaffId: staff.me } });
    t.clock.advance(DAY);
    await signAll();
    const page = await get(`/admin/customers/${customerId}`, 'desk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('139****0001');
    expect(page.body).not.toContain('class="profile"'); // the desk marks arrivals, it does not edit profiles
    expect((await post(`/admin/customers/${customerId}/visits`, 'desk', { model: '城市SUV' })).statusCode).toBe(200);
    expect(await counts(customerId)).toEqual({ visits: 2, thanks: 2, surveys: 1, told: 1 });
    const again = await post(`/admin/customers/${customerId}/visits`, 'desk');
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('今天已经登记过到店');
    expect((await post(`/admin/customers/${customerId}/visits`, 'colleague')).statusCode).toBe(403);
    t.clock.advance(10 * DAY);
    await signAll();
    expect((await post(`/admin/customers/${customerId}/visits`, 'me')).statusCode).toBe(200);
    expect(await counts(customerId)).toEqual({ visits: 3, thanks: 3, surveys: 2, told: 2 });
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'customer.visit', entityId: customerId } })).toBe(2);
  });
});

describe('the customer profile', () => {
  const profile = (fields: Record<string, string>) => ({ name: '张伟', phone: '13900000001', salutation: '', address: '', contactTime: '', contactWay: '', vehicleModel: '', vin: '', plate: '', driverName: '', notes: '', ...fields });

  it('is saved by the owning consultant, audited, and the templates say 张先生', async () => {
    const customerId = await register('showroom');
    await t.ctx.db.lead.updateMany({ where: { customerId }, data: { ownerStaffId: staff.me } });
    const saved = await post(`/admin/customers/${customerId}/profile`, 'me', profile({ salutation: '先生', address: '上海市浦东新区 1 号', contactTime: '工作日晚上', contactWay: 'wechat', notes: '喜欢白色\n下周出差' }));
    expect(saved.statusCode).toBe(200);
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ salutation: '先生', contactWay: 'wechat', notes: '喜欢白色\n下周出差' });
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'customer.profile', entityId: customerId } });
    expect(JSON.parse(audit.details)).toMatchObject({ before: { salutation: null }, after: { salutation: '先生', contactWay: 'wechat' } });
    t.clock.advance(DAY);
    await signAll();
    await post(`/admin/customers/${customerId}/visits`, 'desk');
    const thanks = await t.ctx.db.messageIntent.findMany({ where: { customerId, kind: 'visit_thanks' }, orderBy: { createdAt: 'asc' } });
    expect(thanks.at(-1)?.payload).toContain('张先生您好');
    expect((await get(`/admin/leads/${(await t.ctx.db.lead.findFirstOrThrow({ where: { customerId } })).id}`, 'me')).body).toContain('修改客户资料');
  });

  it('refuses bad VINs and plates, vehicles before delivery and a number of another customer, naming each field', async () => {
    const customerId = await register('showroom');
    await register('showroom', '13900000002', '李娜');
    const early = await post(`/admin/customers/${customerId}/profile`, 'manager', profile({ vehicleModel: '城市SUV' }));
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('交车后才能填写');
    await t.ctx.db.order.create({ data: { storeId: t.setup.storeId, customerId, model: '城市SUV', orderedAt: t.clock.now(), deliveryAt: t.clock.now(), status: 'DELIVERED', deliveredAt: t.clock.now() } });
    const bad = await post(`/admin/customers/${customerId}/profile`, 'manager', profile({ vin: 'LSVAA4187E2184615', plate: '沪12345', driverName: '<b>' }));
    expect(bad.statusCode).toBe(400);
    for (const field of ['vin', 'plate', 'driverName']) expect(bad.body).toContain(`data-error="${field}"`);
    expect((await post(`/admin/customers/${customerId}/profile`, 'manager', profile({ phone: '13900000002' }))).body).toContain('已属于另一位客户');
    const good = await post(`/admin/customers/${customerId}/profile`, 'manager', profile({ vehicleModel: '城市SUV', vin: 'lsvaa4183e2184615', plate: '沪A·D1234 5', driverName: '张小伟' }));
    expect(good.statusCode).toBe(200);
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ vin: 'LSVAA4183E2184615', plate: '沪AD12345', driverName: '张小伟' });
  });

  it('is refused to other consultants and the desk; an admin reads and keeps the number masked', async () => {
    const customerId = await register('showroom');
    await t.ctx.db.lead.updateMany({ where: { customerId }, data: { ownerStaffId: staff.me } });
    expect((await post(`/admin/customers/${customerId}/profile`, 'colleague', profile({ notes: '改' }))).statusCode).toBe(403);
    expect((await post(`/admin/customers/${customerId}/profile`, 'desk', profile({ notes: '改' }))).statusCode).toBe(403);
    const page = await get(`/admin/customers/${customerId}`, 'admin');
    expect(page.body).toContain('value="139****0001"');
    expect(page.body).not.toContain('13900000001');
    expect((await post(`/admin/customers/${customerId}/profile`, 'admin', profile({ phone: '139****0001', notes: '管理员备注' }))).statusCode).toBe(200);
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ phone: '+8613900000001', notes: '管理员备注' });
  });
});
