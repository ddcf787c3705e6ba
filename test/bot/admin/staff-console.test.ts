import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let consultantSession: string;
let consultantId: string;

beforeEach(async () => {
  t = await createTestApp();
  consultantId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id;
  consultantSession = await signIn(t, consultantId);
  await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone: '13800000009', modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true } });
});
afterEach(async () => {
  await t.close();
});

const say = (text: string, cookie = consultantSession) =>
  t.app.inject({ method: 'POST', url: '/admin/console/messages', payload: { text }, cookies: cookie ? { sc_staff: cookie } : {} });

describe('web staff console', () => {
  it('serves the console page to signed-in staff', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/console', cookies: { sc_staff: consultantSession } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('staff-console.js');
    expect((await t.app.inject({ method: 'GET', url: '/admin/console' })).statusCode).toBe(401);
  });

  it('lists today\'s leads and logs a follow-up by list number, end to end', async () => {
    const today = await say('今日');
    expect(today.statusCode).toBe(200);
    expect(today.json().reply).toContain('138****0009');
    const logged = await say('跟进 1 电话 A 约了周六试驾');
    expect(logged.statusCode).toBe(200);
    const lead = await t.ctx.db.lead.findFirstOrThrow();
    expect(lead).toMatchObject({ grade: 'A', ownerStaffId: consultantId });
    expect(await t.ctx.db.followUp.count()).toBe(1);
  });

  it('answers a mistaken command with the correct form and an example', async () => {
    const reply = (await say('跟进 1 电话')).json().reply as string;
    expect(reply).toContain('格式不对');
    expect(reply).toContain('例如');
  });

  it('refuses an empty or overlong message, and strangers', async () => {
    expect((await say('  ')).statusCode).toBe(400);
    expect((await say('x'.repeat(1001))).statusCode).toBe(400);
    expect((await say('今日', '')).statusCode).toBe(401);
  });
});
