// Issue #13, finding 2: 2,000 registrations with made-up numbers from 50 addresses in a minute
// (behind a trusted proxy) leave the gift stock intact beyond the configured burst, and raise one alert.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

const registration = (i: number) => ({
  source: 'showroom', name: '测试', phone: `139${String(10_000_000 + i).slice(-8)}`, modelOfInterest: 'not_sure',
  heardFrom: 'other', serviceConsent: true, marketingConsent: false,
});

describe('gift stock drain', () => {
  it('2,000 registrations from 50 addresses in a minute take at most the burst from the stock and raise exactly one alert', async () => {
    t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1', GIFT_BURST_PER_MINUTE: '30', REGISTRATIONS_PER_STORE_PER_MINUTE: '200' });
    const stockBefore = (await t.ctx.db.gift.findFirstOrThrow()).stockLeft;
    const statuses = new Map<number, number>();
    const vouchers = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      // 16 in flight, as the reported attack: the fake clock moves 30 ms a request, one minute in all.
      const batch = Array.from({ length: Math.min(16, 2000 - i) }, (_, k) => i + k);
      const responses = await Promise.all(batch.map((n) => t!.app.inject({
        method: 'POST', url: '/api/registrations', payload: registration(n),
        headers: { 'x-forwarded-for': `198.51.100.${n % 50}` },
      })));
      for (const response of responses) {
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        if (response.statusCode === 201) vouchers.set(response.json().voucher, (vouchers.get(response.json().voucher) ?? 0) + 1);
      }
      i += batch.length - 1;
      t.clock.advance(30 * batch.length);
    }
    expect([...statuses.keys()].sort()).toEqual([201, 429]);
    expect(statuses.get(201)).toBeLessThanOrEqual(200 + 16);
    expect(vouchers.get('issued')).toBe(30);
    expect(vouchers.get('confirm_at_desk')).toBe((statuses.get(201) ?? 0) - 30);
    expect((await t.ctx.db.gift.findFirstOrThrow()).stockLeft).toBe(stockBefore - 30);
    expect(await t.ctx.db.alert.count({ where: { kind: 'gift_paused' } })).toBe(1);
    expect(await t.ctx.db.messageIntent.count({ where: { kind: 'gift_paused' } })).toBeGreaterThan(0);
    // Registration still worked: every accepted one is a customer, its gift held for the desk.
    expect(await t.ctx.db.pendingRegistration.count({ where: { reason: 'gift_paused' } })).toBe(vouchers.get('confirm_at_desk'));
  }, 120_000);

  it('believes X-Forwarded-For only from a trusted proxy: a spoofed header from anyone else counts against the real address', async () => {
    t = await createTestApp({ REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '5' });
    const codes: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: registration(i), headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      codes.push(response.statusCode);
    }
    expect(codes).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const refused = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: registration(99) });
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(await t.ctx.db.customer.count()).toBe(5);
  });

  it('registers a launch event on the defaults: 100 people on the showroom\'s one Wi-Fi address in a minute are all registered; 30 vouchers at once, the rest at the desk', async () => {
    t = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    const codes = new Map<string, number>();
    for (let i = 0; i < 100; i += 1) {
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: registration(i), headers: { 'x-forwarded-for': '192.0.2.10' } });
      expect(response.statusCode).toBe(201);
      codes.set(response.json().voucher, (codes.get(response.json().voucher) ?? 0) + 1);
      t.clock.advance(600);
    }
    // 100 in a minute on one address are all registered; the first 30 vouchers go out at once, the rest at the desk.
    expect(codes.get('issued')).toBe(30);
    expect(codes.get('confirm_at_desk')).toBe(70);
  });

  it('de-duplicates and limits complaints from one anonymous chat', async () => {
    t = await createTestApp();
    const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
    const id = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
    for (let i = 0; i < 20; i += 1) {
      const response = await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text: `我要投诉 ${i}` }, cookies: { sc_chat: id } });
      expect(response.statusCode).toBe(200);
    }
    expect(await t.ctx.db.ticket.count({ where: { type: 'COMPLAINT' } })).toBe(1);
  });

  it('limits new anonymous chat sessions per address', async () => {
    t = await createTestApp({ CHAT_SESSIONS_PER_ADDRESS_PER_MINUTE: '10' });
    const codes: number[] = [];
    for (let i = 0; i < 30; i += 1) codes.push((await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } })).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(20);
    expect(await t.ctx.db.conversation.count()).toBe(10);
  });
});
