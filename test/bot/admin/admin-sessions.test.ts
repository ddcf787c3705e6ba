// Staff sessions on the admin pages, as a careful data-protection officer would check them:
// logout, idle and absolute lifetimes, Secure cookies and HSTS over https, only the newest
// start-up link works, and the origin check (a proxy that rewrites Host, `Origin: null`,
// hostile header values: never a 5xx).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const MINUTE = 60_000;
let t: TestApp;
let session: string;

const desk = (cookie = session, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/admin', cookies: { sc_staff: cookie }, headers });
const redeem = (headers: Record<string, string>, cookie = session) =>
  t.app.inject({ method: 'POST', url: '/admin/vouchers/redeem', payload: { code: 'NOPE-NOPE' }, cookies: { sc_staff: cookie }, headers });

beforeEach(async () => {
  t = await createTestApp();
  session = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
});

describe('admin sessions', () => {
  it('logs out: the session stops working at once', async () => {
    expect((await desk()).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/admin/logout', cookies: { sc_staff: session } });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'sc_staff')?.value).toBe('');
    expect((await desk()).statusCode).toBe(401);
  });

  it('ends after ADMIN_SESSION_IDLE_MINUTES without a request, and keeps going while used', async () => {
    t.clock.advance(50 * MINUTE);
    expect((await desk()).statusCode).toBe(200); // activity within the hour keeps it alive
    t.clock.advance(50 * MINUTE);
    expect((await desk()).statusCode).toBe(200);
    t.clock.advance(61 * MINUTE);
    const idle = await desk();
    expect(idle.statusCode).toBe(401);
    expect(idle.body).toContain('登录已过期');
  });

  it('ends ADMIN_SESSION_MAX_HOURS after sign-in however busy it is', async () => {
    for (let minutes = 0; minutes < 12 * 60 - 30; minutes += 30) {
      t.clock.advance(30 * MINUTE);
      expect((await desk()).statusCode).toBe(200);
    }
    t.clock.advance(31 * MINUTE);
    expect((await desk()).statusCode).toBe(401);
  });

  it('a new start-up link revokes the earlier unused one; links handed out to staff are not touched', async () => {
    const staffLink = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24);
    const first = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24, 'startup');
    const second = await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 24, 'startup');
    expect((await t.app.inject({ method: 'GET', url: `/admin/login/${first}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/admin/login/${second}` })).statusCode).toBe(302);
    expect((await t.app.inject({ method: 'GET', url: `/admin/login/${staffLink}` })).statusCode).toBe(302);
  });

  it('refuses a POST from another site or from Origin: null with 403, never 500', async () => {
    expect((await redeem({ origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await redeem({ origin: 'null' })).statusCode).toBe(403);
    expect((await redeem({ referer: 'https://evil.example/page' })).statusCode).toBe(403);
    expect((await redeem({ origin: 'http://localhost:80', host: 'localhost:80' })).statusCode).not.toBe(403);
  });

  it('behind a proxy that rewrites Host, accepts forms from PUBLIC_BASE_URL (scheme included)', async () => {
    // createTestApp's PUBLIC_BASE_URL is http://showroom.test; the proxy forwards to 127.0.0.1.
    expect((await redeem({ origin: 'http://showroom.test', host: '127.0.0.1:3000' })).statusCode).not.toBe(403);
    expect((await redeem({ origin: 'https://showroom.test', host: '127.0.0.1:3000' })).statusCode).toBe(403);
  });

  it('never answers 5xx whatever the Origin, Referer and Host headers hold', async () => {
    const headerValue = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('null', '', 'http://', 'https://[::1', 'javascript:alert(1)', '%00', 'http://a b'));
    await fc.assert(fc.asyncProperty(headerValue, headerValue, headerValue, async (origin, referer, host) => {
      const headers = Object.fromEntries(Object.entries({ origin, referer, host }).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v) && v.length > 0));
      const response = await redeem(headers);
      expect(response.statusCode).toBeLessThan(500);
    }), { numRuns: 150 });
  });
});

describe('admin sessions over https', () => {
  it('marks the session cookie Secure and sends HSTS', async () => {
    const https = await createTestApp({ PUBLIC_BASE_URL: 'https://register.example-motors.cn' });
    try {
      const token = await createLoginLink(https.ctx.db, https.clock, https.setup.adminStaffId, 24);
      const login = await https.app.inject({ method: 'GET', url: `/admin/login/${token}` });
      expect(login.cookies.find((c) => c.name === 'sc_staff')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
      expect(login.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await https.close();
    }
  });
});
