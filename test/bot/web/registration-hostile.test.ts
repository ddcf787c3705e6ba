// /api/registrations and the chat's phone step against hostile input (issue #13): no 5xx, a clear
// 4xx or a polite re-ask, nothing stored from a refused request, and nothing of a known customer revealed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../core/messages.ts';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let knownVoucher = '';
beforeAll(async () => {
  t = await createTestApp({ REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '100000' });
  const known = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
  knownVoucher = known.json().voucherCode;
});
afterAll(async () => {
  await t.close();
});

const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '', ' ', 'x'.repeat(5000), '\u0000\u0007\u001b[31m', '\u202e13812345678', '\ud800', '😀😀', "'; DROP TABLE Customer; --",
    '<script>alert(1)</script>', '13812345678', '+86 138 1234 5678', '0086 138-1234-5678', '１３８１２３４５６７８', '__proto__', 'showroom',
  ),
  fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);
const body = fc.record({
  source: fc.oneof(hostile, fc.constant('showroom')), name: hostile, phone: hostile, modelOfInterest: fc.oneof(hostile, fc.constant('not_sure')),
  heardFrom: fc.oneof(hostile, fc.constant('walk_in')), companions: hostile, serviceConsent: fc.oneof(hostile, fc.constant(true)), marketingConsent: hostile,
}, { requiredKeys: [] });
const rawBody = fc.oneof(fc.constantFrom('{"name":', '[1,2', '{"__proto__":{"x":1}}', 'null', '"str"', '{}'.repeat(100), 'a=b&c=d'), fc.string({ maxLength: 80 }));
const headerValue = fc.oneof(fc.constantFrom('', 'text/plain', 'application/json; charset=gbk', '1.1.1.1, , ::ffff:x', '\t'), fc.stringMatching(/^[\x20-\x7e]{0,40}$/));

describe('POST /api/registrations under hostile input', () => {
  it('never answers 5xx; a refusal is a 4xx naming the problem and stores nothing; never reveals the known customer\'s voucher', async () => {
    await fc.assert(fc.asyncProperty(body, headerValue, async (payload, forwarded) => {
      const before = await registrationCounts(t.ctx.db);
      const pendingBefore = await t.ctx.db.pendingRegistration.count();
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload, headers: { 'x-forwarded-for': forwarded } });
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).not.toContain(knownVoucher);
      if (response.statusCode >= 400) {
        expect(response.json().error).toEqual(expect.any(String));
        expect(await registrationCounts(t.ctx.db)).toEqual(before);
        expect(await t.ctx.db.pendingRegistration.count()).toBe(pendingBefore);
      }
    }), { numRuns: 120 });
  }, 120_000);

  it('refuses malformed bodies and odd content types with a 4xx, storing nothing', async () => {
    await fc.assert(fc.asyncProperty(rawBody, headerValue, async (raw, contentType) => {
      const before = await registrationCounts(t.ctx.db);
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: raw, headers: { 'content-type': contentType || 'application/json' } });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(await registrationCounts(t.ctx.db)).toEqual(before);
    }), { numRuns: 80 });
  }, 60_000);
});

describe('the chat\'s phone step under hostile input', () => {
  it('re-asks politely for anything that is not a mobile number, stores nothing, and never reveals the known customer', async () => {
    const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
    const id = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
    const say = (text: string) => t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text }, cookies: { sc_chat: id } });
    await say('1');
    await say('李四');
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => s.trim().length > 0 && !/\d{7}/.test(s)), async (text) => {
      const before = await registrationCounts(t.ctx.db);
      const response = await say(text);
      expect(response.statusCode).toBeLessThan(500);
      if (response.statusCode === 200) {
        const replies = response.json<{ replies: OutboundMessage[] }>().replies;
        expect(JSON.stringify(replies)).not.toContain(knownVoucher.slice(0, 4));
      }
      expect(await registrationCounts(t.ctx.db)).toEqual(before);
      const conversation = await t.ctx.db.conversation.findFirstOrThrow({ where: { externalId: id } });
      const state = JSON.parse(conversation.state) as { flow: string; step?: string };
      // Never past the phone step with a bad number; a control word ("取消", "TD") may have left it: back to the phone step.
      expect(state.step === 'model').toBe(false);
      if (state.flow !== 'registration' || state.step !== 'phone') {
        await say('重新开始');
        await say('1');
        await say('李四');
      }
    }), { numRuns: 60 });
  }, 120_000);
});
