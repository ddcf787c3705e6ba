// Registration with SMS codes (issue #13, proof before linking): when the store offers them, the
// H5 form asks for the code sent to the number, every registration needs it — new and known
// numbers alike, so the answers reveal nothing — and the proven owner of a known number gets their
// voucher back on a new phone. Without SMS, nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import { PHONE_CODE_ID_VARIABLE, SmsPhoneCodes } from '../../../core/registration/phone-codes.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
const codes = new SmsPhoneCodes('test-secret');
afterEach(async () => {
  await t.close();
});

async function offering(): Promise<void> {
  t = await createTestApp({}, { phoneProof: codes });
}
/** The codes the SMS would carry, oldest first: derived from the queued messages, as the SMS channel does. */
async function sms(): Promise<{ phone: string; code: string }[]> {
  const intents = await t.ctx.db.messageIntent.findMany({ where: { kind: 'phone_code' }, orderBy: { enqueueSeq: 'asc' } });
  return intents.map((i) => ({ phone: i.address ?? '', code: codes.digits((JSON.parse(i.variables ?? '{}') as Record<string, string>)[PHONE_CODE_ID_VARIABLE] ?? '', i.address ?? '') }));
}
const askCode = (phone: string, cookie?: string) => t.app.inject({ method: 'POST', url: '/api/phone-codes', payload: { phone, source: 'showroom' }, ...(cookie ? { cookies: { sc_chat: cookie } } : {}) });
const register = (phone: string, phoneCode?: string, cookie?: string) => t.app.inject({
  method: 'POST', url: '/api/registrations', ...(cookie ? { cookies: { sc_chat: cookie } } : {}),
  payload: { source: 'showroom', name: '王芳', phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true, ...(phoneCode ? { phoneCode } : {}) },
});

describe('registering with an SMS code', () => {
  it('shows the code field, sends a code once a minute, and registers only with the right one', async () => {
    await offering();
    const page = await t.app.inject({ method: 'GET', url: '/r/showroom' });
    expect(page.body).toContain('id="phoneCode"');
    expect(page.body).toContain('获取验证码');
    expect((await askCode('138 1234 5678')).statusCode).toBe(202);
    const [first] = await sms();
    expect(first).toEqual({ phone: '+8613812345678', code: expect.stringMatching(/^\d{6}$/) });
    const again = await askCode('13812345678');
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBe('60');
    expect(again.json().error).toContain('每分钟 1 条');
    expect((await askCode('12345')).statusCode).toBe(400);
    const noSource = await t.app.inject({ method: 'POST', url: '/api/phone-codes', payload: { phone: '13912345678', source: 'no-such-poster' } });
    expect([noSource.statusCode, Object.keys(noSource.json().fields)]).toEqual([400, ['source']]);
    expect(await sms()).toHaveLength(1);

    const without = await register('13812345678');
    expect(without.statusCode).toBe(400);
    expect(without.json().fields.phoneCode).toContain('验证码');
    const wrong = String((Number(first!.code) + 1) % 1_000_000).padStart(6, '0');
    expect((await register('13812345678', wrong)).statusCode).toBe(400);
    expect((await register('13812345678', first!.code, 'another-browser-0123456789')).statusCode).toBe(400); // only where it was asked for
    const right = await register('13812345678', first!.code);
    expect(right.statusCode).toBe(201);
    expect(right.json().voucherCode).toMatch(/^\w{8}$/);
    expect((await register('13812345678', first!.code)).statusCode).toBe(400); // once
    expect(await t.ctx.db.customer.count()).toBe(1);
  });

  it('gives a known customer\'s voucher only to whoever proves the number, and answers a stranger as it would a new number', async () => {
    await offering();
    await askCode('13812345678');
    const voucherCode = (await register('13812345678', (await sms())[0]!.code)).json().voucherCode as string;
    // A stranger types the number: without the code, the same refusal a new number gets.
    const stranger = await register('13812345678');
    const newcomer = await register('13900000000');
    expect([stranger.statusCode, stranger.json().fields]).toEqual([newcomer.statusCode, newcomer.json().fields]);
    expect(stranger.body).not.toContain(voucherCode);
    // The owner on a new phone: a fresh code to the number proves it.
    t.clock.advance(61_000);
    await askCode('13812345678', 'a-new-browser-0123456789ab');
    const owner = await register('13812345678', (await sms())[1]!.code, 'a-new-browser-0123456789ab');
    expect(owner.statusCode).toBe(200);
    expect(owner.json().voucherCode).toBe(voucherCode);
  });

  it('is not asked for where the store offers no SMS codes', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/r/showroom' })).body).not.toContain('id="phoneCode"');
    expect((await askCode('13812345678')).statusCode).toBe(404);
    expect((await register('13812345678')).statusCode).toBe(201);
  });
});
