// Finding 7 of the privacy issue (#13), input hygiene: control characters (NUL, BEL, ESC), bidi
// overrides (U+202E) and lone surrogates were accepted in names and reached admin pages and
// staff chats; `%` and `_` acted as wildcards in the orders search; a valid JSON body with a
// `__proto__` key was refused as invalid JSON; refusals named the wrong rule.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleInboundMessage } from '../../core/inbound/handle-inbound-message.ts';
import { followRedirect, signIn } from '../helpers/admin-session.ts';
import { createTestApp, registrationCounts, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
});

const HOSTILE = '\u0000\u0007\u001b[31m\u202e\u2066\u200f\u200b';
const registration = (fields: Record<string, unknown>) => ({ source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true, ...fields });
const register = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/registrations', payload: payload as string, headers: { 'content-type': 'application/json' } });
const formPost = async (url: string, payload: string) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: admin } }), admin);
const hasForbidden = (text: string) => /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u200B]|\p{Cs}/u.test(text);

describe('control and bidi characters, lone surrogates', () => {
  it('stores a registration\'s name without control or bidi characters, and the admin pages show it clean', async () => {
    const response = await register(registration({ name: `${HOSTILE}张\u0000伟\u202e ` }));
    expect(response.statusCode).toBe(201);
    const customer = await t.ctx.db.customer.findFirstOrThrow();
    expect(customer.name).toBe('[31m张伟');
    const page = await t.app.inject({ method: 'GET', url: '/admin/orders?q=13812345678', cookies: { sc_staff: admin } });
    expect(hasForbidden(page.body.replace(/\n/g, ''))).toBe(false);
  });

  it('refuses a lone surrogate in a name, naming the rule, and stores nothing', async () => {
    const before = await registrationCounts(t.ctx.db);
    const response = await register(JSON.stringify(registration({ name: 'PLACEHOLDER' })).replace('PLACEHOLDER', '张\\ud800伟'));
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.name).toContain('broken character');
    expect(await registrationCounts(t.ctx.db)).toEqual(before);
  });

  it('refuses a name that is nothing but invisible characters as such, not as "required"', async () => {
    const response = await register(registration({ name: HOSTILE.replace('[31m', '') }));
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.name).toContain('invisible or control characters');
  });

  it('cleans what a customer types in any chat before it reaches staff: a complaint\'s text', async () => {
    await handleInboundMessage(t.ctx.inbound, { channel: 'TELEGRAM', chatId: '42', updateId: 'u1', event: { kind: 'text', text: `我要投诉${HOSTILE}：销售\u202e态度差\u0007` } }, { kind: 'request' });
    const ticket = await t.ctx.db.ticket.findFirstOrThrow();
    expect(ticket.description).toBe('我要投诉[31m：销售态度差');
  });

  it('asks again, politely, for chat text with a broken character, and stores nothing of it', async () => {
    const outcome = await handleInboundMessage(t.ctx.inbound, { channel: 'TELEGRAM', chatId: '43', updateId: 'u2', event: { kind: 'text', text: '我要投诉\ud800' } }, { kind: 'request' });
    expect(outcome.replies.map((r) => r.text).join('')).toContain('无法识别的字符');
    expect(await t.ctx.db.ticket.count()).toBe(0);
  });

  it('cleans staff-entered text on the admin pages: a new staff member\'s name', async () => {
    const response = await formPost('/admin/staff', new URLSearchParams({ name: `\u202e李\u0007顾问${HOSTILE}`, role: 'CONSULTANT' }).toString());
    expect(response.statusCode).toBe(200);
    expect((await t.ctx.db.staff.findFirstOrThrow({ where: { role: 'CONSULTANT' } })).name).toBe('李顾问[31m');
  });

  it('refuses a lone surrogate sent to an admin form as JSON, naming the field', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/admin/staff', payload: '{"name":"李\\udc00","role":"CONSULTANT"}', headers: { 'content-type': 'application/json' }, cookies: { sc_staff: admin } });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.name).toContain('broken character');
    expect(await t.ctx.db.staff.count({ where: { role: 'CONSULTANT' } })).toBe(0);
  });
});

describe('the orders search', () => {
  it('matches % and _ literally', async () => {
    for (const [phone, name] of [['13800000001', '王%芳'], ['13800000002', '王小芳'], ['13800000003', 'a_b'], ['13800000004', 'axb']]) {
      expect((await register(registration({ phone, name }))).statusCode).toBe(201);
    }
    const found = async (q: string) => {
      const page = await t.app.inject({ method: 'GET', url: `/admin/orders?q=${encodeURIComponent(q)}`, cookies: { sc_staff: admin } });
      return [...page.body.matchAll(/<h2>([^<（]+)（/g)].map((m) => m[1]);
    };
    expect(await found('%')).toEqual(['王%芳']);
    expect(await found('王%')).toEqual(['王%芳']);
    expect(await found('_')).toEqual(['a_b']);
    expect(await found('a_b')).toEqual(['a_b']);
    expect((await found('芳')).sort()).toEqual(['王%芳', '王小芳']);
    expect(await found('\\')).toEqual([]);
  });
});

describe('JSON bodies with __proto__', () => {
  it('are parsed safely: the key is dropped, the registration goes through, no prototype is touched', async () => {
    const raw = JSON.stringify(registration({})).replace('{', '{"__proto__":{"polluted":true,"serviceConsent":true},"constructor":{"prototype":{"polluted":true}},');
    const response = await register(raw);
    expect(response.statusCode).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('do not stand in for a missing field', async () => {
    const { serviceConsent: _omit, ...rest } = registration({});
    const response = await register(JSON.stringify(rest).replace('{', '{"__proto__":{"serviceConsent":true},'));
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.serviceConsent).toContain('must be true');
  });

  it('a form body with a __proto__ field is read as a plain field', async () => {
    const response = await formPost('/admin/staff', '__proto__[role]=ADMIN&name=%E6%9D%8E%E9%A1%BE%E9%97%AE&role=CONSULTANT');
    expect(response.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await t.ctx.db.staff.findFirstOrThrow({ where: { name: '李顾问' } })).role).toBe('CONSULTANT');
  });
});

describe('refusals name the rule that refused', () => {
  it('a field of the wrong type is "must be text", not "is required"', async () => {
    const response = await register(registration({ name: 123, source: 5, phone: [] }));
    expect(response.json().fields).toEqual({
      source: expect.stringMatching(/^must be text/), name: expect.stringMatching(/^must be text/), phone: expect.stringMatching(/^must be text/),
    });
    const missing = await register({ heardFrom: 'walk_in', serviceConsent: true });
    expect(missing.json().fields).toMatchObject({ source: expect.stringMatching(/^is required/), name: expect.stringMatching(/^is required/), phone: expect.stringMatching(/^is required/) });
  });

  it('the chat says which field is wrong and why', async () => {
    const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
    const cookies = { sc_chat: start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '' };
    const say = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: payload as object, cookies });
    expect((await say({ text: 5 })).json().fields).toEqual({ text: 'must be text (a string)' });
    expect((await say({ text: 'hi', lang: 'fr' })).json().fields).toEqual({ lang: 'must be "zh-CN" or "en"' });
    expect((await say({ text: 'hi', messageId: 7 })).json().fields.messageId).toMatch(/^must be text/);
    expect((await say({ text: '\u0007\u202e' })).json().fields).toEqual({ text: 'has only invisible or control characters: type visible text' });
  });

  it('an admin form sent with an odd content type is told which types are accepted, not only JSON', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/admin/staff', payload: 'name=x', headers: { 'content-type': 'application/xml' }, cookies: { sc_staff: admin } });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toContain('application/x-www-form-urlencoded');
  });
});
