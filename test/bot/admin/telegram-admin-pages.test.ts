// The admin pages for Telegram: QR codes of each source's t.me deep link (PNG and SVG), and
// one-time staff invitations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let admin: string;

beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, cookie = admin) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie } });
const post = (url: string, cookie = admin) => t.app.inject({ method: 'POST', url, cookies: { sc_staff: cookie } });

describe('QR codes page', () => {
  it('says how to connect Telegram when it is not configured', async () => {
    const page = await get('/admin/qr-codes');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('TELEGRAM_BOT_TOKEN');
    expect((await get('/admin/qr-codes/showroom/telegram.png')).statusCode).toBe(409);
  });

  it('shows and downloads each source\'s Telegram deep link as PNG and SVG', async () => {
    t.ctx.telegramBotUsername = 'showroom_test_bot';
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
});

describe('staff page', () => {
  it('lets an admin create a one-time Telegram invitation, shown once with its link and QR code', async () => {
    t.ctx.telegramBotUsername = 'showroom_test_bot';
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    const page = await post(`/admin/staff/${consultant.id}/invitations`);
    expect(page.statusCode).toBe(200);
    const link = /https:\/\/t\.me\/showroom_test_bot\?start=staff_([A-Za-z0-9_-]{43})/.exec(page.body);
    expect(link).not.toBeNull();
    expect((link?.[0] ?? '').length - 'https://t.me/showroom_test_bot?start='.length).toBeLessThanOrEqual(64);
    expect(page.body).toContain('<svg');
    expect(await t.ctx.db.staffInvitation.count({ where: { staffId: consultant.id } })).toBe(1);
    expect((await get('/admin/staff')).body).not.toContain(link?.[1] ?? 'x');
  });

  it('refuses invitations from consultants, for unknown staff, and without Telegram', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    expect((await post(`/admin/staff/${consultant.id}/invitations`)).statusCode).toBe(409);
    t.ctx.telegramBotUsername = 'showroom_test_bot';
    expect((await post(`/admin/staff/${consultant.id}/invitations`, await signIn(t, consultant.id))).statusCode).toBe(403);
    expect((await post('/admin/staff/nobody/invitations')).statusCode).toBe(404);
    expect(await t.ctx.db.staffInvitation.count()).toBe(0);
  });
});
