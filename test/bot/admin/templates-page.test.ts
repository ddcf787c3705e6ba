import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../core/journeys/template-defaults.ts';
import { recordOrder } from '../../../core/orders/order-service.ts';
import { createReachableCustomer } from '../../helpers/intents.ts';
import { followRedirect, signIn as signInAs } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let session: string;

const signIn = (staffId: string) => signInAs(t, staffId);

beforeEach(async () => {
  t = await createTestApp({ STORE_ADDRESS: '示例路 88 号' });
  session = await signIn(t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
});

const REMINDER = 'delivery_reminder_72h';
const get = (cookie = session) => t.app.inject({ method: 'GET', url: '/admin/templates', cookies: cookie ? { sc_staff: cookie } : {} });
const save = async (kind: string, locale: string, body: string, cookie = session) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url: `/admin/templates/${kind}/${locale}`, payload: new URLSearchParams({ body }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: cookie ? { sc_staff: cookie } : {} }), cookie);
const reset = async (kind: string, locale: string, cookie = session) => followRedirect(t.app, await t.app.inject({ method: 'POST', url: `/admin/templates/${kind}/${locale}/reset`, cookies: cookie ? { sc_staff: cookie } : {} }), cookie);
const own = () => t.ctx.db.messageTemplate.findMany();
const section = (body: string, key: string) => body.slice(body.indexOf(`data-template="${key}"`), body.indexOf('</section>', body.indexOf(`data-template="${key}"`)));

describe('templates admin page', () => {
  it('lists every kind in both languages with its default body and variables, required ones marked', async () => {
    const page = await get();
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/data-template="/g)).toHaveLength(16);
    const reminder = section(page.body, `${REMINDER}:zh-CN`);
    expect(reminder).toContain('默认模板');
    expect(reminder).toContain(DEFAULT_TEMPLATES[REMINDER]['zh-CN']);
    expect(page.body).toMatch(/data-variable="deliveryTime"><code>\{deliveryTime\}<\/code> 交车时间 <strong>（必填）<\/strong>/);
    expect(page.body).toMatch(/data-variable="model"><code>\{model\}<\/code> 车型<\/li>/);
  });

  it('saves a valid template, audited, and the next message uses it', async () => {
    const body = '{honorific}您好：{model}交车时间 {deliveryTime}，地点 {address}。<请带身份证>';
    const response = await save(REMINDER, 'zh-CN', body.replace('：', '：\r\n'));
    expect(response.statusCode).toBe(200);
    expect(section(response.body, `${REMINDER}:zh-CN`)).toContain('本店自定义');
    expect(response.body).toContain('&lt;请带身份证>');
    const saved = body.replace('：', '：\n');
    expect(await own()).toMatchObject([{ kind: REMINDER, locale: 'zh-CN', body: saved }]);
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow();
    expect(audit).toMatchObject({ action: 'template.saved', entity: 'template', entityId: `${REMINDER}:zh-CN`, actorStaffId: t.setup.adminStaffId });
    expect(JSON.parse(audit.details)).toEqual({ before: DEFAULT_TEMPLATES[REMINDER]['zh-CN'], after: saved });

    const customerId = await createReachableCustomer(t.ctx.db, 1, t.clock.now());
    await t.ctx.db.customer.update({ where: { id: customerId }, data: { name: '王芳' } });
    await t.ctx.db.visit.create({ data: { customerId, storeId: t.setup.storeId, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
    await recordOrder(t.ctx.db, t.clock, { storeId: t.setup.storeId, staffId: t.setup.adminStaffId, role: 'ADMIN' }, { customerId, model: '城市SUV', deliveryAt: new Date('2026-11-27T06:00:00Z') });
    const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: REMINDER } });
    expect(JSON.parse(intent.payload).text).toBe('王芳您好：\n城市SUV交车时间 11月27日周五 14:00，地点 示例路 88 号。<请带身份证>');
  });

  it('refuses an unknown variable, naming it, keeps the typed text and saves nothing', async () => {
    const typed = '{customerName}，{deliveryTime} 在 {address} 交车，送您{coupon}';
    const response = await save(REMINDER, 'zh-CN', typed);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('不能使用变量 {coupon}');
    expect(section(response.body, `${REMINDER}:zh-CN`)).toContain(typed);
    expect(await own()).toEqual([]);
    expect(await t.ctx.db.auditEntry.count()).toBe(0);
  });

  it('refuses a template without a required variable, naming it', async () => {
    const response = await save('holiday_greeting', 'en', '{storeName} wishes you a happy holiday');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('必须包含变量 {holidayName}');
    expect((await save('birthday_greeting', 'en', '')).statusCode).toBe(400);
    expect(await own()).toEqual([]);
  });

  it('resets to the default, audited', async () => {
    await save('birthday_greeting', 'en', 'Happy birthday from {storeName}!');
    const response = await reset('birthday_greeting', 'en');
    expect(response.statusCode).toBe(200);
    expect(await own()).toEqual([]);
    expect(section(response.body, 'birthday_greeting:en')).toContain('默认模板');
    expect(section(response.body, 'birthday_greeting:en')).toContain(DEFAULT_TEMPLATES.birthday_greeting.en);
    const entries = await t.ctx.db.auditEntry.findMany({ orderBy: { action: 'asc' } });
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([['template.reset', 'birthday_greeting:en'], ['template.saved', 'birthday_greeting:en']]);
    expect(JSON.parse(entries[0]!.details)).toEqual({ before: 'Happy birthday from {storeName}!', after: DEFAULT_TEMPLATES.birthday_greeting.en });
    expect((await reset('birthday_greeting', 'en')).body).toContain('已经在使用默认模板');
    expect(await t.ctx.db.auditEntry.count()).toBe(2);
  });

  it('answers 404 for an unknown kind or locale', async () => {
    expect((await save('coupon_blast', 'zh-CN', '{storeName}')).statusCode).toBe(404);
    expect((await save('birthday_greeting', 'fr', '{storeName}')).statusCode).toBe(404);
    expect((await reset('toString', 'en')).statusCode).toBe(404);
  });

  it('is for admins and managers only', async () => {
    const manager = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '赵经理', role: 'MANAGER' } });
    expect((await save('birthday_greeting', 'zh-CN', '{storeName}祝您生日快乐', await signIn(manager.id))).statusCode).toBe(200);
    for (const role of ['CONSULTANT', 'FRONT_DESK'] as const) {
      const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: role, role } });
      const cookie = await signIn(staff.id);
      expect((await get(cookie)).statusCode).toBe(403);
      expect((await save('birthday_greeting', 'zh-CN', '{storeName}!', cookie)).statusCode).toBe(403);
      expect((await reset('birthday_greeting', 'zh-CN', cookie)).statusCode).toBe(403);
    }
    expect((await get('')).statusCode).toBe(401);
    expect((await save('birthday_greeting', 'zh-CN', '{storeName}!', '')).statusCode).toBe(401);
    expect(await own()).toMatchObject([{ body: '{storeName}祝您生日快乐' }]);
  });
});
