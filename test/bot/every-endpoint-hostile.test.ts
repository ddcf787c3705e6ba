// Every HTTP endpoint and every chat step against random and hostile input (issue #13): long
// strings, control and bidi characters, lone surrogates, emoji, SQL and HTML fragments,
// malformed JSON and form bodies, odd headers and path segments; signed in or not. Never a 5xx;
// a refusal is a clear 4xx (JSON says which field and why) or, in a chat, a polite re-ask; and a
// refused request stores nothing. The routes are enumerated from the app, so new ones are covered.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInboundMessage } from '../../core/inbound/handle-inbound-message.ts';
import { signIn } from '../helpers/admin-session.ts';
import { routesOf } from '../helpers/app-routes.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin = '';
let consultant = '';
let consultantId = '';
/** Fresh sessions: a fuzzed POST /admin/logout ends the one it carried. */
async function signInBoth(): Promise<void> {
  admin = await signIn(t, t.setup.adminStaffId);
  consultant = await signIn(t, consultantId);
}
let chat = '';
let routes: { method: 'GET' | 'POST'; path: string }[] = [];
beforeAll(async () => {
  t = await createTestApp({ REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '10000', CHAT_SESSIONS_PER_ADDRESS_PER_MINUTE: '10000', CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE: '10000' });
  consultantId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id;
  await signInBoth();
  const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
  chat = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
  routes = routesOf(t.app).flatMap((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return method === 'GET' || method === 'POST' ? [{ method, path }] : [];
  });
});
afterAll(async () => {
  await t.close();
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '', ' ', 'x'.repeat(5000), '张'.repeat(1200), '\u0000\u0007\u001b[31m', '\u202e13812345678', '\u2066张伟\u2069', '\ud800', '\udfff张', '😀👨‍👩‍👧🇨🇳', "'; DROP TABLE Customer; --",
    "' OR 1=1 --", '%', '_', '%_%', '\\', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '../../etc/passwd', '__proto__', 'constructor',
    '13812345678', '１３８１２３４５６７８', '2026-12-01T10:00', 'CONSULTANT', 'ADMIN', 'true', 'LUNAR', 'showroom', '今日', '投诉', 'TD', '重新开始',
  ),
);
const hostileValue = fc.oneof(hostileText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileText, { maxLength: 3 }), fc.dictionary(hostileText, hostileText, { maxKeys: 3 }));
const FIELDS = ['text', 'messageId', 'lang', 'source', 'name', 'phone', 'modelOfInterest', 'heardFrom', 'companions', 'serviceConsent', 'marketingConsent', 'phoneCode',
  'customerId', 'model', 'deliveryAt', 'consultantId', 'reason', 'birthday', 'calendar', 'code', 'label', 'role', 'senior', 'onDuty', 'active', 'channel', 'externalId',
  'body', 'rootCause', 'actionTaken', 'outcome', 'finalSatisfaction', 'reSurvey', '__proto__', 'constructor'];
const fields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), hostileText), hostileValue, { maxKeys: 8 });

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD's bytes, as a browser would send it). */
const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const segment = fc.oneof(hostileText.map(encode), fc.constantFrom('%', '%zz', '%ED%A0%80', '%00', '%E2%80%AE', '..%2F..', 'x'.repeat(300)));

/** A body: JSON of hostile fields, a form of them, or something that is neither. */
const body = fc.oneof(
  fields.map((f) => ({ type: 'application/json', payload: JSON.stringify(f) })),
  fields.map((f) => ({ type: 'application/x-www-form-urlencoded', payload: new URLSearchParams(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString() })),
  fc.constantFrom('{"name":', '[1,2', 'null', '"str"', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{}'.repeat(200), 'a=b&c=%zz&%=&', '\u0000')
    .chain((payload) => fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain').map((type) => ({ type, payload }))),
  fc.record({ type: fc.constantFrom('text/xml', 'multipart/form-data', 'application/json; charset=gbk', '', 'application/octet-stream'), payload: hostileText }),
);
const headerText = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,60}$/), fc.constantFrom('', 'null', 'http://evil.example', 'http://showroom.test', 'http://showroom.test/admin', 'javascript:alert(1)', '1.1.1.1, , ::ffff:x'));
const headers = fc.record({ origin: headerText, referer: headerText, 'x-forwarded-for': headerText, 'accept-language': headerText, host: fc.constantFrom('showroom.test', 'evil.example', '[::1]', 'a'.repeat(200)) }, { requiredKeys: [] });
const who = fc.constantFrom('nobody', 'admin', 'consultant', 'garbage');

/** Rows a refused request must not add to. */
async function stored(): Promise<Record<string, number>> {
  const db = t.ctx.db;
  const counts = await Promise.all([
    db.customer.count(), db.visit.count(), db.registration.count(), db.voucher.count(), db.consentRecord.count(), db.messageIntent.count(), db.order.count(), db.ticket.count(),
    db.staff.count(), db.qrSource.count(), db.messageTemplate.count(), db.auditEntry.count(), db.pendingRegistration.count(), db.staffInvitation.count(), db.followUp.count(),
    db.lostRequest.count(), db.inboundUpdate.count(), db.staffChannelLink.count(),
  ]);
  return Object.fromEntries(counts.map((n, i) => [String(i), n]));
}

describe('every endpoint under hostile input', () => {
  it('knows the routes it covers', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it('never answers 5xx; a refusal is a 4xx that says what is wrong, and stores nothing', async () => {
    const route = fc.nat().map((n) => routes[n % routes.length] ?? { method: 'GET' as const, path: '/' });
    await fc.assert(fc.asyncProperty(route, fc.array(segment, { minLength: 3, maxLength: 3 }), body, headers, who, fc.dictionary(fc.constantFrom('q', 'after', 'source', 'w', 'lang'), hostileText.map(encode)), async ({ method, path }, params, b, h, signedIn, query) => {
      let i = 0;
      const url = path.replace(/:[A-Za-z]+/g, () => params[(i += 1) % 3] ?? 'x');
      const search = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
      const cookies: Record<string, string> = { sc_chat: chat, ...(signedIn === 'admin' ? { sc_staff: admin } : signedIn === 'consultant' ? { sc_staff: consultant } : signedIn === 'garbage' ? { sc_staff: '\u0000garbage' } : {}) };
      const before = await stored();
      const response = await t.app.inject({ method, url: `${url}${search ? `?${search}` : ''}`, headers: { ...h, ...(method === 'POST' && b.type ? { 'content-type': b.type } : {}) }, ...(method === 'POST' ? { payload: b.payload } : {}), cookies });
      expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      if (url === '/admin/logout') await signInBoth();
      if (response.statusCode >= 400) {
        expect(await stored(), `${method} ${url} refused with ${response.statusCode} but stored something`).toEqual(before);
        if (/json/.test(String(response.headers['content-type']))) expect(response.json().error, `${method} ${url}`).toEqual(expect.any(String));
        else expect(response.body.length).toBeGreaterThan(0);
      }
    }), { numRuns: 400 });
  }, 300_000);
});

describe('every route with every field hostile at once', () => {
  it.each(['\ud800', '\u0000\u202e', 'x'.repeat(70_000), '<script>', "'; DROP TABLE Customer; --", '%_'])('%#: no 5xx, refusals store nothing', async (value) => {
    await signInBoth();
    for (const { method, path } of routes.filter((r) => r.method === 'POST' && r.path !== '/admin/logout')) {
      const url = path.replace(/:[A-Za-z]+/g, 'x');
      for (const sc_staff of [admin, consultant]) {
        const before = await stored();
        const payload = JSON.stringify(Object.fromEntries(FIELDS.filter((f) => !f.startsWith('_') && f !== 'constructor').map((f) => [f, value])));
        const response = await t.app.inject({ method, url, payload, headers: { 'content-type': 'application/json' }, cookies: { sc_staff, sc_chat: chat } });
        expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
        if (response.statusCode >= 400) expect(await stored(), `${method} ${url}`).toEqual(before);
      }
    }
  }, 120_000);
});

describe('every chat step under hostile text', () => {
  it('answers on any channel with a reply (an answer or a polite re-ask), never throws, and never echoes a forbidden character to staff or customers', async () => {
    const forbidden = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F]|\p{Cs}/u;
    let update = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom('TELEGRAM', 'WECOM', 'WEB') as fc.Arbitrary<'TELEGRAM' | 'WECOM' | 'WEB'>, fc.array(hostileText, { minLength: 1, maxLength: 12 }), async (channel, texts) => {
      const chatId = `hostile-${(update += 1)}`;
      await handleInboundMessage(t.ctx.inbound, { channel, chatId, updateId: `${chatId}:start`, event: { kind: 'start', sourceCode: 'showroom' } }, { kind: 'request' });
      for (const [n, text] of texts.entries()) {
        const outcome = await handleInboundMessage(t.ctx.inbound, { channel, chatId, updateId: `${chatId}:${n}`, event: { kind: 'text', text } }, { kind: 'request' });
        expect(outcome.replies.length + (outcome.handledBy === 'opt-out' ? 1 : 0)).toBeGreaterThan(0);
        for (const reply of outcome.replies) expect(reply.text).not.toMatch(forbidden);
      }
      const tickets = await t.ctx.db.ticket.findMany({ where: { chatKey: `${channel}:${chatId}` } });
      for (const ticket of tickets) expect(ticket.description).not.toMatch(forbidden);
    }), { numRuns: 60 });
  }, 300_000);
});
