import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { followRedirect } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let session: string;
let voucherCode: string;

beforeEach(async () => {
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440' }); // signed in while the test moves the clock by hours
  const token = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24);
  const login = await t.app.inject({ method: 'GET', url: `/admin/login/${token}` });
  expect(login.statusCode).toBe(302);
  session = login.cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
  const registration = await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: { source: 'showroom', name: `张伟 "Tom" & Co`, phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true, marketingConsent: false },
  });
  voucherCode = registration.json().voucherCode;
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, cookie = session) => t.app.inject({ method: 'GET', url, cookies: cookie ? { sc_staff: cookie } : {} });
const redeem = async (code: string, headers: Record<string, string> = {}) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url: '/admin/vouchers/redeem', payload: `code=${encodeURIComponent(code)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, cookies: { sc_staff: session } }), session);

describe('admin login', () => {
  it('works once per link', async () => {
    const token = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24);
    expect((await t.app.inject({ method: 'GET', url: `/admin/login/${token}` })).statusCode).toBe(302);
    const second = await t.app.inject({ method: 'GET', url: `/admin/login/${token}` });
    expect(second.statusCode).toBe(401);
    expect(second.body).toContain('已经使用过');
  });

  it('refuses an expired link', async () => {
    const token = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 1);
    t.clock.advance(2 * 3600_000);
    expect((await t.app.inject({ method: 'GET', url: `/admin/login/${token}` })).statusCode).toBe(401);
  });

  it('keeps the desk behind the login', async () => {
    const response = await get('/admin', '');
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('一次性管理链接');
    expect((await get('/admin', 'forged')).statusCode).toBe(401);
  });
});

describe('front desk', () => {
  it('finds a voucher by code in any typing, with the phone masked and the name escaped', async () => {
    const typed = `${voucherCode.slice(0, 4).toLowerCase()}-${voucherCode.slice(4)}`;
    const response = await get(`/admin/vouchers?q=${encodeURIComponent(typed)}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`${voucherCode.slice(0, 4)}-${voucherCode.slice(4)}`);
    expect(response.body).toContain('138****5678');
    expect(response.body).not.toContain('13812345678');
    expect(response.body).toContain('张伟 &quot;Tom&quot; &amp; Co');
    expect(response.body).not.toContain('"Tom"');
  });

  it('finds a voucher by phone in any format', async () => {
    const response = await get(`/admin/vouchers?q=${encodeURIComponent('+86 138-1234-5678')}`);
    expect(response.body).toContain(`data-code="${voucherCode}"`);
  });

  it('says when nothing matches', async () => {
    expect((await get('/admin/vouchers?q=ZZZZZZZZ')).body).toContain('没有找到');
  });

  it('redeems once, and refuses a second redemption saying who and when', async () => {
    const first = await redeem(voucherCode);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('核销成功');
    const stored = await t.ctx.db.voucher.findFirstOrThrow();
    expect(stored.redeemedAt?.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(stored.redeemedByStaffId).toBe(t.setup.adminStaffId);

    t.clock.advance(3600_000);
    const second = await redeem(voucherCode);
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('不能重复核销');
    expect(second.body).toContain('管理员');
    expect(second.body).toContain('10:00');
    expect((await t.ctx.db.voucher.findFirstOrThrow()).redeemedAt?.toISOString()).toBe('2026-11-22T02:00:00.000Z');
  });

  it('says so for an unknown code', async () => {
    const response = await redeem('NOPE2345');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('没有找到这个券码');
  });

  it('refuses a redemption posted from another site', async () => {
    const response = await redeem(voucherCode, { origin: 'https://evil.example' });
    expect(response.statusCode).toBe(403);
    expect((await t.ctx.db.voucher.findFirstOrThrow()).redeemedAt).toBeNull();
  });
});

describe('walk-in parties at the desk', () => {
  const count = async (key: string) => followRedirect(t.app, await t.app.inject({ method: 'POST', url: '/admin/walk-ins', payload: `requestKey=${key}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: session } }), session);
  const withdraw = async () => followRedirect(t.app, await t.app.inject({ method: 'POST', url: '/admin/walk-ins/withdraw', payload: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: session } }), session);
  const parties = (body: string) => Number(/data-walk-in-parties[^>]*>(\d+)</.exec(body)?.[1]);

  it('counts +1 party per press, once per form, with the day\'s total and the retention rate', async () => {
    const page = await get('/admin');
    expect(parties(page.body)).toBe(0);
    const key = /name="requestKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parties((await count(key)).body)).toBe(1);
    const again = await count(key);
    expect(again.body).toContain('这次点击已经记录过了');
    expect(parties(again.body)).toBe(1);
    const second = await count('another-form-key-0001');
    expect(parties(second.body)).toBe(2);
    expect(second.body).toMatch(/登记 <strong data-walk-in-registrations[^>]*>1<\/strong> 人/);
    expect(second.body).toContain('50.0%');
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'walk_in.counted', actorStaffId: t.setup.adminStaffId } })).toBe(2);
  });

  it('withdraws one\'s own last count within 10 minutes, audited; refuses after that and a broken form key', async () => {
    await count('form-key-aaaaaaaaaaaa');
    await count('form-key-bbbbbbbbbbbb');
    expect(parties((await withdraw()).body)).toBe(1);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'walk_in.withdrawn' } })).toBe(1);
    t.clock.advance(11 * 60_000);
    const late = await withdraw();
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('没有可撤销的记录');
    expect(parties(late.body)).toBe(1);
    expect((await count('short')).statusCode).toBe(400);
    expect(await t.ctx.db.walkInParty.count()).toBe(2);
  });

  it('starts a new day at local midnight', async () => {
    t.clock.set('2026-11-22T15:58:00Z'); // 23:58 in Shanghai
    const token = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24);
    session = (await t.app.inject({ method: 'GET', url: `/admin/login/${token}` })).cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
    await count('form-key-cccccccccccc');
    expect(parties((await get('/admin')).body)).toBe(1);
    t.clock.set('2026-11-22T16:00:00Z'); // 00:00 the next day
    expect(parties((await get('/admin')).body)).toBe(0);
  });
});
