// Store settings without a database client (issue #18): every change validated with what to fix,
// audited, and taking effect for messages not yet sent; campaigns and gift stock; group admins add
// a second store and switch to it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJourneySettings } from '../../../core/journeys/journey-settings.ts';
import { parseLeadSettings } from '../../../core/leads/lead-settings.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
const cookie: Record<string, string> = {};

beforeEach(async () => {
  t = await createTestApp({ STORE_HOTLINE: '400-800-1234' });
  const manager = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '孙经理', role: 'MANAGER' } });
  const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
  cookie.admin = await signIn(t, t.setup.adminStaffId);
  cookie.manager = await signIn(t, manager.id);
  cookie.consultant = await signIn(t, consultant.id);
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie[who] ?? '' } });
const post = (url: string, who: string, fields: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie[who] ?? '' } });
const store = () => t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
const basics = { name: '示例汽车4S店', address: '上海市示例路 1 号', hotline: '400-800-1234', timeZone: 'Asia/Shanghai', customerHoursStart: '08:00', customerHoursEnd: '21:00', staffHoursStart: '08:30', staffHoursEnd: '18:30' };

describe('the store settings page', () => {
  it('is for managers and admins only', async () => {
    expect((await get('/admin/store', 'consultant')).statusCode).toBe(403);
    expect((await post('/admin/store', 'consultant', basics)).statusCode).toBe(403);
    expect((await get('/admin/store', 'manager')).statusCode).toBe(200);
  });

  it('saves the basics, audited, and carries a new hotline into the messages not yet sent', async () => {
    const reg = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone: '13900000001', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    expect(reg.statusCode).toBe(201);
    const thanks = () => t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect((await thanks()).payload).toContain('400-800-1234');
    const current = await store();
    const unchanged = Object.fromEntries(Object.keys(basics).map((k) => [k, String(current[k as keyof typeof current])]));
    const saved = await post('/admin/store', 'manager', { ...unchanged, hotline: '021-5555 6666', customerHoursStart: '09:00' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('1 条尚未发出的客户消息已改用新的信息');
    expect(await store()).toMatchObject({ hotline: '021-5555 6666', customerHoursStart: '09:00' });
    expect((await thanks()).payload).toContain('021-5555 6666');
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'store.settings' } });
    expect(JSON.parse(audit.details)).toEqual({ before: { hotline: '400-800-1234', customerHoursStart: '08:00' }, after: { hotline: '021-5555 6666', customerHoursStart: '09:00' } });
  });

  it('names every bad field and saves nothing', async () => {
    const refused = await post('/admin/store', 'manager', { ...basics, name: '', timeZone: 'Mars/Olympus', customerHoursStart: '22:00', hotline: 'call me' });
    expect(refused.statusCode).toBe(400);
    for (const field of ['name', 'timeZone', 'customerHoursStart', 'hotline']) expect(refused.body).toContain(`data-error="${field}"`);
    expect(refused.body).toContain('value="Mars/Olympus"'); // what was typed comes back
    expect((await store()).timeZone).toBe('Asia/Shanghai');
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'store.settings' } })).toBe(0);
  });

  it('edits the models, the journey timings and the lead rules as forms, validated', async () => {
    expect((await post('/admin/store/models', 'manager', { models: '城市SUV\n新能源轿车\n\n城市SUV' })).statusCode).toBe(200);
    expect((await t.ctx.db.carModel.findMany({ where: { storeId: t.setup.storeId, active: true }, orderBy: { sortOrder: 'asc' } })).map((m) => m.name)).toEqual(['城市SUV', '新能源轿车']);
    const journeys = Object.fromEntries(Object.entries(parseJourneySettings('{}')).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    const bad = await post('/admin/store/settings/journeySettings', 'manager', { ...journeys, thankYouDelayMinutes: '0', visitSurveyTime: '25:00', deliveryReminderHours: '72,abc' });
    expect(bad.statusCode).toBe(400);
    for (const key of ['thankYouDelayMinutes', 'visitSurveyTime', 'deliveryReminderHours.1']) expect(bad.body).toContain(key);
    expect((await store()).journeySettings).toBe(JSON.stringify({ thankYouDelayMinutes: 120 }));
    expect((await post('/admin/store/settings/journeySettings', 'manager', { ...journeys, thankYouDelayMinutes: '30', deliveryReminderHours: '48, 24' })).statusCode).toBe(200);
    expect(parseJourneySettings((await store()).journeySettings)).toMatchObject({ thankYouDelayMinutes: 30, deliveryReminderHours: [48, 24] });
    // The next registration's thank-you uses the new delay.
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone: '13900000002', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    expect((await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } })).sendAt).toEqual(new Date(t.clock.now().getTime() + 30 * 60_000));
    const leads = { 'cadenceDays.H': '2', 'cadenceDays.A': '3', 'cadenceDays.B': '7', 'cadenceDays.C': '15', 'gradeWindowDays.H': '7', 'gradeWindowDays.A': '15', 'gradeWindowDays.B': '30', 'gradeWindowDays.C': '90',
      gradeNewWithinDays: '1', overdueAlertDays: '2', dailyMinimumFollowUps: '5', reassignAfterMonths: '4', poolAfterMonths: '6', reassignSuggestion: 'least_loaded' };
    expect((await post('/admin/store/settings/leadSettings', 'manager', { ...leads, poolAfterMonths: '' })).body).toContain('poolAfterMonths：请填写整数');
    expect((await post('/admin/store/settings/leadSettings', 'manager', leads)).statusCode).toBe(200);
    expect(parseLeadSettings((await store()).leadSettings)).toMatchObject({ cadenceDays: { H: 2 }, dailyMinimumFollowUps: 5, reassignAfterMonths: 4, reassignSuggestion: 'least_loaded' });
  });

  it('starts a new campaign with its gift and moves the QR codes to it; adds stock', async () => {
    const made = await post('/admin/store/campaigns', 'manager', { name: '春季试驾节', startsAt: '2026-11-22T10:00', endsAt: '2026-12-31T21:00', giftName: '车载香薰', stock: '200', moveQrCodes: '1' });
    expect(made.statusCode).toBe(200);
    const campaign = await t.ctx.db.campaign.findFirstOrThrow({ where: { name: '春季试驾节' }, include: { gifts: true } });
    expect((await t.ctx.db.qrSource.findUniqueOrThrow({ where: { code: 'showroom' } })).campaignId).toBe(campaign.id);
    const gift = campaign.gifts[0]!;
    expect((await post(`/admin/store/gifts/${gift.id}/stock`, 'manager', { units: '-5' })).statusCode).toBe(400);
    expect((await post(`/admin/store/gifts/${gift.id}/stock`, 'manager', { units: '50' })).body).toContain('剩余 250，总数 250');
    expect((await post('/admin/store/campaigns', 'manager', { name: '', startsAt: 'soon', giftName: '', stock: 'lots' })).statusCode).toBe(400);
    expect(await t.ctx.db.auditEntry.count({ where: { action: { in: ['campaign.created', 'gift.stock_added'] } } })).toBe(2);
  });

  it('lets a group admin add a second store and switch to it; managers may not', async () => {
    expect((await post('/admin/stores', 'manager', { name: '二号店', timeZone: 'Asia/Shanghai' })).statusCode).toBe(403);
    expect((await post('/admin/stores', 'admin', { name: '二号店', timeZone: 'Asia/Shanghai' })).statusCode).toBe(200);
    const second = await t.ctx.db.store.findFirstOrThrow({ where: { name: '二号店' }, include: { carModels: true } });
    expect(second.carModels.length).toBeGreaterThan(0);
    const switched = await post(`/admin/stores/${second.id}/switch`, 'admin');
    expect(switched.statusCode).toBe(303);
    expect((await get('/admin/store', 'admin')).body).toContain('门店设置：二号店');
    expect((await get('/admin/store', 'manager')).body).not.toContain('二号店（当前）');
    const foreignGroup = await t.ctx.db.dealerGroup.create({ data: { name: '别的集团' } });
    const foreign = await t.ctx.db.store.create({ data: { groupId: foreignGroup.id, name: '别家店', timeZone: 'Asia/Shanghai' } });
    expect((await post(`/admin/stores/${foreign.id}/switch`, 'admin')).statusCode).toBe(404);
    expect((await get('/admin/store', 'admin')).body).toContain('门店设置：二号店');
  });
});
