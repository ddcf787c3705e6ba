// The Alibaba Cloud adapter through the official SDK (@alicloud/dysmsapi20170525) against the fake
// provider, which verifies the SDK's ACS3 signature and enforces the documented limits.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAliyunSmsProvider, type AliyunSmsOptions } from '../../../bot/channels/sms/aliyun-sms-provider.ts';
import { classifySmsResult, type SmsProvider, type SmsSendRequest } from '../../../bot/channels/sms/sms-provider.ts';
import { FixedClock } from '../../../core/clock.ts';
import { FakeSmsServer } from '../../fakes/fake-sms-server.ts';
import { ALIYUN_CATALOG, ALIYUN_TEMPLATES, PHONE, SIGN, THANKS_PARAMS, THANKS_TEXT } from './sms-test-templates.ts';

const KEY_ID = 'LTAI5tFakeKeyIdForTests';
const SECRET = 'fakeSecretForTests0123456789abc';
const clock = new FixedClock('2025-05-01T02:00:00Z'); // 10:00 in Beijing
let fake: FakeSmsServer;
let endpoint: URL;

function provider(overrides: Partial<AliyunSmsOptions> = {}): SmsProvider {
  return createAliyunSmsProvider({ accessKeyId: KEY_ID, accessKeySecret: SECRET, regionId: 'cn-hangzhou', endpoint, clock, connectTimeoutMs: 1_000, readTimeoutMs: 400, ...overrides });
}
const thanks = (overrides: Partial<SmsSendRequest> = {}): SmsSendRequest => ({
  phoneE164: PHONE, signName: SIGN, templateCode: 'SMS_465100001', params: THANKS_PARAMS, outId: 'thanks:visit-1', ...overrides,
  template: overrides.template ?? ALIYUN_CATALOG[overrides.templateCode ?? 'SMS_465100001']!,
});
const send = (p: SmsProvider, request: SmsSendRequest, signal = new AbortController().signal) => p.send(request, signal);

beforeEach(async () => {
  clock.set('2025-05-01T02:00:00Z');
  fake = new FakeSmsServer({ mode: 'aliyun', accessKeyId: KEY_ID, accessKeySecret: SECRET, signatures: [SIGN], templates: ALIYUN_TEMPLATES, now: () => clock.now().getTime() });
  endpoint = new URL(await fake.start());
});
afterEach(async () => {
  await fake.close();
});

describe('Alibaba Cloud SMS adapter', () => {
  it('sends through SendSms: the fake verifies the signature and records the rendered text and our OutId', async () => {
    const result = await send(provider(), thanks());
    expect(result).toMatchObject({ kind: 'sent', providerMessageId: expect.stringMatching(/\^0$/) });
    expect(fake.sent).toMatchObject([{ phoneE164: PHONE, text: THANKS_TEXT, outId: 'thanks:visit-1' }]);
    expect(classifySmsResult(result)).toMatchObject({ status: 'sent' });
  });

  it('answers a wrong secret or key id with a refusal that names the setting to fix', async () => {
    const wrongSecret = await send(provider({ accessKeySecret: 'not-the-secret' }), thanks());
    expect(wrongSecret).toMatchObject({ kind: 'rejected', reason: 'credentials', code: 'SignatureDoesNotMatch' });
    expect(wrongSecret.kind === 'rejected' && wrongSecret.message).toContain('SMS_ACCESS_KEY_SECRET');
    const wrongKey = await send(provider({ accessKeyId: 'LTAI5tUnknown' }), thanks());
    expect(wrongKey).toMatchObject({ kind: 'rejected', reason: 'credentials', code: 'InvalidAccessKeyId.NotFound' });
    expect(wrongKey.kind === 'rejected' && wrongKey.message).toContain('SMS_ACCESS_KEY_ID');
    expect(fake.sent).toEqual([]);
  });

  it('throttles a second message to one number within a minute: retry when the window opens, not dead', async () => {
    const p = provider();
    expect((await send(p, thanks())).kind).toBe('sent');
    clock.advance(20_000);
    const second = await send(p, thanks({ outId: 'thanks:visit-2' }));
    expect(second).toMatchObject({ kind: 'throttled', code: 'isv.BUSINESS_LIMIT_CONTROL', retryAfterMs: 60_000 });
    expect(classifySmsResult(second)).toMatchObject({ status: 'retry', retryAfterMs: 60_000 });
    expect(fake.violations).toHaveLength(1);
    clock.advance(60_000);
    expect((await send(p, thanks({ outId: 'thanks:visit-2' }))).kind).toBe('sent');
  });

  it('refuses an invalid number with its code, and the outbox stops writing to it', async () => {
    const result = await send(provider(), thanks({ phoneE164: '+86123456' }));
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-number', code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    expect(classifySmsResult(result).status).toBe('blocked');
  });

  it('refuses an unapproved signature and a template the provider does not know', async () => {
    expect(await send(provider(), thanks({ signName: '别家汽车' }))).toMatchObject({ kind: 'rejected', reason: 'not-approved', code: 'isv.SMS_SIGNATURE_ILLEGAL' });
    expect(await send(provider(), thanks({ templateCode: 'SMS_999', template: ALIYUN_CATALOG.SMS_465100001! }))).toMatchObject({ kind: 'rejected', reason: 'not-approved', code: 'isv.SMS_TEMPLATE_ILLEGAL' });
  });

  it('stops a link in a variable before any request, naming the variable', async () => {
    const result = await send(provider(), thanks({ params: { name: '王先生', store: 'www.example.com' } }));
    expect(result).toMatchObject({ kind: 'rejected', reason: 'param-invalid', code: 'LOCAL_CHECK' });
    expect(result.kind === 'rejected' && result.message).toContain('"store"');
    expect(fake.log).toEqual([]);
  });

  it('treats a timeout after the request left as ambiguous (the provider may have sent it)', async () => {
    fake.script({ hang: true, deliver: true });
    const result = await send(provider(), thanks());
    expect(result.kind).toBe('ambiguous');
    expect(classifySmsResult(result).status).toBe('ambiguous');
    expect(fake.sent).toHaveLength(1);
  });

  it('retries a 5xx and a refused connection: nothing was sent', async () => {
    fake.script({ status: 503 });
    expect(await send(provider(), thanks())).toMatchObject({ kind: 'retryable' });
    const closed = await unusedPort();
    expect(await send(provider({ endpoint: new URL(`http://127.0.0.1:${closed}`) }), thanks())).toMatchObject({ kind: 'retryable', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('throttles until the next Beijing midnight when the account\'s daily quota is reached', async () => {
    fake.script({ code: 'isv.DAY_LIMIT_CONTROL', message: '触发日发送限额' });
    const result = await send(provider(), thanks());
    expect(result).toMatchObject({ kind: 'throttled', retryAfterMs: 14 * 3_600_000 });
  });

  it('gives up waiting when the outbox cancels, without claiming nothing went out', async () => {
    fake.script({ hang: true });
    const controller = new AbortController();
    const pending = send(provider({ readTimeoutMs: 5_000 }), thanks(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect((await pending).kind).toBe('ambiguous');
    const aborted = new AbortController();
    aborted.abort();
    expect((await send(provider(), thanks(), aborted.signal)).kind).toBe('retryable');
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
