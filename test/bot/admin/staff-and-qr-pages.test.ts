// The staff and QR code admin pages: adding and changing staff, one-time sign-in links and
// invitations on the channels that have them (Telegram), and QR codes of each source's link on
// each running channel (the web form; Telegram's t.me deep link), as PNG and SVG.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { followRedirect, signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openTelegram, TEST_BOT_TOKEN } from '../../helpers/test-telegram.ts';

let t: TestApp;
let admin: string;
let fake: FakeTelegramServer | null = null;

beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
  await fake?.close();
  fake = null;
});

/** Connects the Telegram channel, as TELEGRAM_BOT_TOKEN does at start-up (against the fake Bot API, whose bot is showroom_test_bot). */
async function connectTelegram(): Promise<void> {
  fake = new FakeTelegramServer(TEST_BOT_TOKEN);
  await openTelegram(t, { TELEGRAM_API_ROOT: await fake.start() });
}

const get = (url: string, cookie = admin) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie } });
const post = async (url: string, cookie = admin, payload?: Record<string, string>) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url, cookies: { sc_staff: cookie }, ...(payload ? { payload: new URLSearchParams(payload).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) }), cookie);

describe('QR codes page', () => {
  it('says how to connect Telegram when it is not configured', async () => {
    const page = await get('/admin/qr-codes');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('TELEGRAM_BOT_TOKEN');
    expect((await get('/admin/qr-codes/showroom/telegram.png')).statusCode).toBe(409);
  });

  it('shows and downloads each source\'s Telegram deep link as PNG and SVG', async () => {
    await connectTelegram();
    const page = await get('/admin/qr-codes');
    expect(page.body).toContain('https://t.me/showroom_test_bot?start=showroom');
    const png = await get('/admin/qr-codes/showroom/telegram.png');
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-disposition']).toBe('attachment; filename="telegram-showroom.png"');
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await get('/admin/qr-codes/showroom/telegram.svg');
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toMatch(/^<svg/);
    expect((await get('/admin/qr-codes/nope/telegram.svg')).statusCode).toBe(404);
    expect((await get('/admin/qr-codes/showroom/telegram.gif')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/admin/qr-codes/showroom/telegram.png' })).statusCode).toBe(401);
  });

  it('shows and downloads each source\'s web registration link, which needs no account', async () => {
    const page = await get('/admin/qr-codes');
    expect(page.body).toContain('http://showroom.test/r/showroom');
    expect(page.body).toContain('/admin/qr-codes/showroom/web.png');
    const png = await get('/admin/qr-codes/showroom/web.png');
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-disposition']).toBe('attachment; filename="web-showroom.png"');
    expect((await get('/admin/qr-codes/showroom/web.svg')).body).toMatch(/^<svg/);
    expect((await get('/admin/qr-codes/showroom/nochannel.png')).statusCode).toBe(404);
  });
});

describe('staff page', () => {
  it('lets an admin create a one-time Telegram invitation, shown once with its link and QR code', async () => {
    await connectTelegram();
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    const page = await post(`/admin/staff/${consultant.id}/invitations`);
    expect(page.statusCode).toBe(200);
    const link = /https:\/\/t\.me\/showroom_test_bot\?start=staff_([A-Za-z0-9_-]{43})/.exec(page.body);
    expect(link).not.toBeNull();
    expect((link?.[0] ?? '').length - 'https://t.me/showroom_test_bot?start='.length).toBeLessThanOrEqual(64);
    expect(page.body).toContain('<svg');
    expect(await t.ctx.db.staffInvitation.count({ where: { staffId: consultant.id } })).toBe(1);
    expect((await get('/admin/staff')).body).not.toContain(link?.[1] ?? 'x');
    expect((await get('/admin/staff')).body).toContain('生成 Telegram 邀请');
    expect((await post(`/admin/staff/${consultant.id}/invitations`, admin, { channel: 'telegram' })).statusCode).toBe(200);
    expect((await post(`/admin/staff/${consultant.id}/invitations`, admin, { channel: 'web' })).statusCode).toBe(409); // the web has sign-in links instead
    expect(await t.ctx.db.staffInvitation.count({ where: { staffId: consultant.id, channel: 'TELEGRAM' } })).toBe(2);
  });

  it('refuses invitations from consultants, for unknown staff, and without Telegram', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    expect((await post(`/admin/staff/${consultant.id}/invitations`)).statusCode).toBe(409);
    await connectTelegram();
    expect((await post(`/admin/staff/${consultant.id}/invitations`, await signIn(t, consultant.id))).statusCode).toBe(403);
    expect((await post('/admin/staff/nobody/invitations')).statusCode).toBe(404);
    expect(await t.ctx.db.staffInvitation.count()).toBe(0);
  });
});

describe('managing staff', () => {
  it('an admin adds a consultant, puts them off duty and senior, and hands them a one-time sign-in link to the console', async () => {
    const added = await post('/admin/staff', admin, { name: '李顾问', role: 'CONSULTANT' });
    expect(added.statusCode).toBe(200);
    const li = await t.ctx.db.staff.findFirstOrThrow({ where: { name: '李顾问' } });
    expect(li).toMatchObject({ role: 'CONSULTANT', onDuty: true, active: true, senior: false });
    await post(`/admin/staff/${li.id}/update`, admin, { onDuty: 'false' });
    await post(`/admin/staff/${li.id}/update`, admin, { senior: 'true' });
    expect(await t.ctx.db.staff.findUniqueOrThrow({ where: { id: li.id } })).toMatchObject({ onDuty: false, senior: true });
    const page = await post(`/admin/staff/${li.id}/login-links`);
    const token = /\/admin\/login\/([A-Za-z0-9_-]{43})/.exec(page.body)?.[1] ?? '';
    const login = await t.app.inject({ method: 'GET', url: `/admin/login/${token}` });
    const session = login.cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
    const reply = await t.app.inject({ method: 'POST', url: '/admin/console/messages', payload: { text: '今日' }, cookies: { sc_staff: session } });
    expect(reply.json().reply).toBe('今天没有待跟进的客户');
    expect(await t.ctx.db.auditEntry.count({ where: { entityId: li.id, action: { in: ['staff_added', 'staff_changed'] } } })).toBe(3);
  });

  it('says what is wrong, and keeps managers to consultants and the front desk', async () => {
    expect((await post('/admin/staff', admin, { name: ' ', role: 'CONSULTANT' })).body).toContain('请填写姓名');
    expect((await post('/admin/staff', admin, { name: '某人', role: 'CEO' })).statusCode).toBe(400);
    expect((await post(`/admin/staff/${t.setup.adminStaffId}/update`, admin, { active: 'false' })).body).toContain('不能停用自己的账号');
    const managerId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '王经理', role: 'MANAGER' } })).id;
    const manager = await signIn(t, managerId);
    expect((await post('/admin/staff', manager, { name: '新经理', role: 'MANAGER' })).statusCode).toBe(403);
    expect((await post('/admin/staff', manager, { name: '新顾问', role: 'CONSULTANT' })).statusCode).toBe(200);
    expect((await post(`/admin/staff/${t.setup.adminStaffId}/login-links`, manager)).statusCode).toBe(403);
    const consultant = await signIn(t, (await t.ctx.db.staff.findFirstOrThrow({ where: { name: '新顾问' } })).id);
    expect((await post('/admin/staff', consultant, { name: '自己人', role: 'CONSULTANT' })).statusCode).toBe(403);
    expect(await t.ctx.db.staff.count({ where: { name: { in: ['新经理', '自己人'] } } })).toBe(0);
  });

  it('does not simply deactivate a consultant who still has customers: they are handed over first', async () => {
    const owner = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '周顾问', role: 'CONSULTANT' } });
    const customer = await t.ctx.db.customer.create({ data: { name: '陈先生', phone: '+8613900001234' } });
    await t.ctx.db.lead.create({ data: { storeId: t.setup.storeId, customerId: customer.id, ownerStaffId: owner.id, source: 'test', firstVisitAt: t.clock.now() } });
    const refused = await post(`/admin/staff/${owner.id}/update`, admin, { active: 'false' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('停用并转交客户');
    expect((await t.ctx.db.staff.findUniqueOrThrow({ where: { id: owner.id } })).active).toBe(true);
    const idle = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '吴顾问', role: 'CONSULTANT' } });
    expect((await post(`/admin/staff/${idle.id}/update`, admin, { active: 'false' })).statusCode).toBe(200);
  });
});

describe('adding QR sources', () => {
  it('adds a consultant\'s own QR source: a scan gives them the lead', async () => {
    const li = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    const added = await post('/admin/qr-codes', admin, { label: '李顾问名片', code: 'li-card', consultantId: li.id });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('li-card');
    const registered = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'li-card', name: '王芳', phone: '13800000001', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    expect(registered.statusCode).toBe(201);
    expect((await t.ctx.db.lead.findFirstOrThrow()).ownerStaffId).toBe(li.id);
  });

  it('says what to fix: a bad or taken code, a missing label, a consultant of nobody; consultants may not add', async () => {
    expect((await post('/admin/qr-codes', admin, { label: 'x', code: 'bad code!' })).body).toContain('编码只能用');
    expect((await post('/admin/qr-codes', admin, { label: 'x', code: 'showroom' })).statusCode).toBe(409);
    expect((await post('/admin/qr-codes', admin, { label: ' ', code: 'ok-code' })).body).toContain('请填写名称');
    expect((await post('/admin/qr-codes', admin, { label: 'x', code: 'ok-code', consultantId: t.setup.adminStaffId })).body).toContain('请选择本店在职的销售顾问');
    const consultant = await signIn(t, (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id);
    expect((await post('/admin/qr-codes', consultant, { label: 'x', code: 'mine' })).statusCode).toBe(403);
    expect(await t.ctx.db.qrSource.count()).toBe(1);
  });
});
