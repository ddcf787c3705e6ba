// The Tencent Cloud adapter through the official SDK (tencentcloud-sdk-nodejs-sms) against the fake
// provider, which verifies the SDK's TC3 signature and enforces the documented limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifySmsResult, type SmsProvider, type SmsSendRequest } from '../../../bot/channels/sms/sms-provider.ts';
import { createTencentSmsProvider, type TencentSmsOptions } from '../../../bot/channels/sms/tencent-sms-provider.ts';
import { FixedClock } from '../../../core/clock.ts';
import { FakeSmsServer } from '../../fakes/fake-sms-server.ts';
import { PHONE, SIGN, TENCENT_CATALOG, TENCENT_TEMPLATES, THANKS_PARAMS, THANKS_TEXT } from './sms-test-templates.ts';

const SECRET_ID = 'AKIDfakeSecretIdForTests';
const SECRET_KEY = 'fakeSecretKeyForTests0123456789';
const APP_ID = '1400006666';
const clock = new FixedClock('2025-05-01T02:00:00Z');
let fake: FakeSmsServer;
let endpoint: URL;

function provider(overrides: Partial<TencentSmsOptions> = {}): SmsProvider {
  return createTencentSmsProvider({ secretId: SECRET_ID, secretKey: SECRET_KEY, sdkAppId: APP_ID, region: 'ap-guangzhou', endpoint, clock, timeoutMs: 400, ...overrides });
}
const thanks = (overrides: Partial<SmsSendRequest> = {}): SmsSendRequest => ({
  phoneE164: PHONE, signName: SIGN, templateCode: '1001', params: THANKS_PARAMS, outId: 'thanks:visit-1', ...overrides,
  template: overrides.template ?? TENCENT_CATALOG[overrides.templateCode ?? '1001']!,
});
const send = (p: SmsProvider, request: SmsSendRequest, signal = new AbortController().signal) => p.send(request, signal);

beforeEach(async () => {
  clock.set('2025-05-01T02:00:00Z');
  fake = new FakeSmsServer({ mode: 'tencent', accessKeyId: SECRET_ID, accessKeySecret: SECRET_KEY, sdkAppId: APP_ID, signatures: [SIGN], templates: TENCENT_TEMPLATES, now: () => clock.now().getTime() });
  endpoint = new URL(await fake.start());
});
afterEach(async () => {
  await fake.close();
});

describe('Tencent Cloud SMS adapter', () => {
  it('sends with the named parameters in the template\'s order, and our key as SessionContext', async () => {
    const result = await send(provider(), thanks({ params: { store: '星河4S店', name: '王先生' } }));
    expect(result).toMatchObject({ kind: 'sent', providerMessageId: expect.stringMatching(/^5000:/) });
    expect(fake.sent).toMatchObject([{ phoneE164: PHONE, text: THANKS_TEXT, outId: 'thanks:visit-1' }]);
  });

  it('answers a wrong secret key, secret id or app id with a refusal that names the setting to fix', async () => {
    const wrongKey = await send(provider({ secretKey: 'not-the-key' }), thanks());
    expect(wrongKey).toMatchObject({ kind: 'rejected', reason: 'credentials', code: 'AuthFailure.SignatureFailure' });
    expect(wrongKey.kind === 'rejected' && wrongKey.message).toContain('SMS_ACCESS_KEY_SECRET');
    const wrongId = await send(provider({ secretId: 'AKIDunknown' }), thanks());
    expect(wrongId.kind === 'rejected' && wrongId.message).toContain('SMS_ACCESS_KEY_ID');
    const wrongApp = await send(provider({ sdkAppId: '1400000000' }), thanks());
    expect(wrongApp.kind === 'rejected' && wrongApp.message).toContain('SMS_SDK_APP_ID');
    expect(fake.sent).toEqual([]);
  });

  it('throttles a second message to one number within 30 seconds, per number in SendStatusSet', async () => {
    const p = provider();
    expect((await send(p, thanks())).kind).toBe('sent');
    clock.advance(10_000);
    const second = await send(p, thanks({ outId: 'thanks:visit-2' }));
    expect(second).toMatchObject({ kind: 'throttled', code: 'LimitExceeded.PhoneNumberThirtySecondLimit', retryAfterMs: 30_000 });
    expect(classifySmsResult(second)).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
    expect(fake.violations).toHaveLength(1);
  });

  it('throttles the 6th message within an hour and the 11th within a Beijing day', async () => {
    const p = provider();
    for (let i = 0; i < 5; i += 1) {
      expect((await send(p, thanks())).kind).toBe('sent');
      clock.advance(31_000);
    }
    expect(await send(p, thanks())).toMatchObject({ kind: 'throttled', code: 'LimitExceeded.PhoneNumberOneHourLimit', retryAfterMs: 3_600_000 });
    for (let i = 0; i < 5; i += 1) {
      clock.advance(3_600_000);
      expect((await send(p, thanks())).kind).toBe('sent');
    }
    clock.advance(3_600_000); // 16:xx in Beijing, the same day
    expect(await send(p, thanks())).toMatchObject({ kind: 'throttled', code: 'LimitExceeded.PhoneNumberDailyLimit' });
  });

  it('refuses an invalid number and a number on the do-not-disturb list; the outbox stops writing to both', async () => {
    const invalid = await send(provider(), thanks({ phoneE164: '+86123' }));
    expect(invalid).toMatchObject({ kind: 'rejected', reason: 'invalid-number', code: 'InvalidParameterValue.IncorrectPhoneNumber' });
    fake.blacklist(PHONE);
    const blocked = await send(provider(), thanks());
    expect(blocked).toMatchObject({ kind: 'rejected', reason: 'blacklisted', code: 'FailedOperation.PhoneNumberInBlacklist' });
    expect([classifySmsResult(invalid).status, classifySmsResult(blocked).status]).toEqual(['blocked', 'blocked']);
  });

  it('refuses an unapproved signature with its code', async () => {
    expect(await send(provider(), thanks({ signName: '别家汽车' }))).toMatchObject({ kind: 'rejected', reason: 'not-approved', code: 'FailedOperation.SignatureIncorrectOrUnapproved' });
  });

  it('stops a verification code that is not 1–6 digits before any request', async () => {
    const result = await send(provider(), thanks({ templateCode: '1002', params: { code: '12ab' } }));
    expect(result).toMatchObject({ kind: 'rejected', reason: 'param-invalid', code: 'LOCAL_CHECK' });
    expect(fake.log).toEqual([]);
  });

  it('treats a timeout after the request left as ambiguous, a 5xx and a refused connection as retryable', async () => {
    fake.script({ hang: true, deliver: true });
    expect((await send(provider(), thanks())).kind).toBe('ambiguous');
    fake.script({ status: 502 });
    expect(await send(provider(), thanks({ phoneE164: '+8613900139000' }))).toMatchObject({ kind: 'retryable', error: expect.stringContaining('502') });
    const refused = await send(provider({ endpoint: new URL('http://127.0.0.1:9') }), thanks());
    expect(refused).toMatchObject({ kind: 'retryable', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('reads request-level throttling and marketing hours as retries', async () => {
    fake.script({ code: 'RequestLimitExceeded', message: '请求的次数超过了频率限制。' });
    expect(await send(provider(), thanks())).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000 });
    clock.set('2025-05-01T14:30:00Z'); // 22:30 in Beijing
    fake.script({ code: 'FailedOperation.MarketingSendTimeConstraint', message: '营销短信发送时间限制。' });
    expect(await send(provider(), thanks())).toMatchObject({ kind: 'throttled', retryAfterMs: 9.5 * 3_600_000 });
  });

  it('stops waiting when the outbox cancels: ambiguous once the request is out', async () => {
    fake.script({ hang: true });
    const controller = new AbortController();
    const pending = send(provider({ timeoutMs: 5_000 }), thanks(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect((await pending).kind).toBe('ambiguous');
  });
});
