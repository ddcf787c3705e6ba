// The fake SMS provider enforces what the real ones document; the SMS tests rely on it, so it is
// tested on its own: requests made by the official SDKs (through the adapters) are accepted, and
// the same requests replayed or tampered with over raw HTTP are refused with the documented codes.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAliyunSmsProvider } from '../../bot/channels/sms/aliyun-sms-provider.ts';
import { parseSmsCallback } from '../../bot/channels/sms/sms-callbacks.ts';
import type { SmsProvider, SmsSendRequest } from '../../bot/channels/sms/sms-provider.ts';
import type { SmsTemplateSpec } from '../../bot/channels/sms/sms-template-params.ts';
import { createTencentSmsProvider } from '../../bot/channels/sms/tencent-sms-provider.ts';
import { ALIYUN_CATALOG, ALIYUN_TEMPLATES, PHONE, SIGN, TENCENT_CATALOG, TENCENT_TEMPLATES, THANKS_PARAMS } from '../bot/sms/sms-test-templates.ts';
import { FakeSmsServer, type FakeSmsMode, type RawRequest } from './fake-sms-server.ts';

const KEY = { id: 'AKIDfakeKeyForFakeTests', secret: 'fakeSecretForFakeTests0123456789' };
let now = Date.parse('2025-05-01T02:00:00Z');
let wallSkewMs = 0;
let fake: FakeSmsServer;
let root: string;
const receivers: Server[] = [];

async function start(mode: FakeSmsMode): Promise<void> {
  now = Date.parse('2025-05-01T02:00:00Z');
  wallSkewMs = 0;
  fake = new FakeSmsServer({
    mode, accessKeyId: KEY.id, accessKeySecret: KEY.secret, sdkAppId: '1400006666', signatures: [SIGN],
    templates: mode === 'aliyun' ? ALIYUN_TEMPLATES : TENCENT_TEMPLATES, now: () => now, wallClock: () => Date.now() + wallSkewMs,
  });
  root = await fake.start();
}
afterEach(async () => {
  await fake.close();
  for (const r of receivers.splice(0)) await new Promise((resolve) => r.close(resolve));
});

function client(mode: FakeSmsMode): SmsProvider {
  const common = { endpoint: new URL(root), clock: { now: () => new Date(now) } };
  return mode === 'aliyun'
    ? createAliyunSmsProvider({ ...common, accessKeyId: KEY.id, accessKeySecret: KEY.secret, regionId: 'cn-hangzhou', readTimeoutMs: 300 })
    : createTencentSmsProvider({ ...common, secretId: KEY.id, secretKey: KEY.secret, sdkAppId: '1400006666', region: 'ap-guangzhou', timeoutMs: 300 });
}
function thanks(mode: FakeSmsMode, overrides: Partial<SmsSendRequest> = {}): SmsSendRequest {
  const templateCode = overrides.templateCode ?? (mode === 'aliyun' ? 'SMS_465100001' : '1001');
  const catalog = mode === 'aliyun' ? ALIYUN_CATALOG : TENCENT_CATALOG;
  return { phoneE164: PHONE, signName: SIGN, templateCode, params: THANKS_PARAMS, outId: 'k1', ...overrides, template: overrides.template ?? catalog[templateCode]! };
}
const send = (mode: FakeSmsMode, overrides: Partial<SmsSendRequest> = {}) => client(mode).send(thanks(mode, overrides), new AbortController().signal);

/** Sends a captured request again over raw HTTP, optionally changed; returns status and JSON. */
async function replay(raw: RawRequest, change: { path?: string; headers?: Record<string, string | undefined>; body?: string } = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers = Object.fromEntries(Object.entries({ ...raw.headers, ...change.headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const body = change.body ?? raw.body.toString('utf8');
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${root}${change.path ?? `${raw.url.pathname}${raw.url.search}`}`, { method: raw.method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function receiver(status = 200, answer: unknown = { code: 0, msg: '接收成功' }): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(text);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/callback`, bodies };
}

describe('fake Alibaba Cloud SMS', () => {
  it('accepts the SDK\'s ACS3 signature and refuses replays, tampering, missing and stale signatures', async () => {
    await start('aliyun');
    expect((await send('aliyun')).kind).toBe('sent');
    const [signed] = fake.requests;
    if (!signed) throw new Error('no request');
    expect((await replay(signed)).json).toMatchObject({ Code: 'SignatureNonceUsed' });
    const tampered = `${signed.url.pathname}${signed.url.search.replace('13800138000', '13900139000')}`;
    expect(await replay(signed, { path: tampered, headers: { 'x-acs-signature-nonce': 'fresh-nonce' } })).toMatchObject({ status: 400, json: { Code: 'SignatureDoesNotMatch' } });
    expect((await replay(signed, { headers: { authorization: undefined } })).json).toMatchObject({ Code: 'IncompleteSignature' });
    wallSkewMs = 20 * 60_000;
    expect((await send('aliyun', { phoneE164: '+8613700137000' })).kind).toBe('rejected');
    expect(fake.log.at(-1)).toContain('InvalidTimeStamp.Expired');
    expect(fake.sent).toHaveLength(1);
  });

  it('holds one number to 1 a minute, 5 an hour and 10 a Beijing day per signature and template, recording violations', async () => {
    await start('aliyun');
    const outcome = async (atSeconds: number) => {
      now = Date.parse('2025-05-01T02:00:00Z') + atSeconds * 1000;
      const result = await send('aliyun');
      return result.kind === 'throttled' ? result.message : result.kind;
    };
    expect(await outcome(0)).toBe('sent');
    expect(await outcome(30)).toBe('触发分钟级流控Permits:1');
    for (const at of [60, 120, 180, 240]) expect(await outcome(at)).toBe('sent');
    expect(await outcome(300)).toBe('触发小时级流控Permits:5');
    for (const at of [3_900, 3_961, 4_022, 4_083, 4_144]) expect(await outcome(at)).toBe('sent');
    expect(await outcome(8_000)).toBe('触发天级流控Permits:10'); // 12:13 in Beijing, ten sent today
    expect(fake.violations).toHaveLength(3);
    expect(await outcome(14 * 3_600)).toBe('sent'); // 00:00 the next day in Beijing
    expect((await send('aliyun', { templateCode: 'SMS_465100002', params: { code: '123456' } })).kind).toBe('sent');
  });

  it('checks parameters against the template\'s variables', async () => {
    await start('aliyun');
    const misdescribed: SmsTemplateSpec = { type: 'notification', variables: [{ name: 'name', kind: 'text' }] };
    expect(await send('aliyun', { params: { name: '王先生' }, template: misdescribed })).toMatchObject({ code: 'isv.TEMPLATE_MISSING_PARAMETERS' });
    const generous: SmsTemplateSpec = { type: 'notification', variables: [{ name: 'name', kind: 'text', maxLength: 99 }, { name: 'store', kind: 'text' }] };
    expect(await send('aliyun', { params: { name: '王'.repeat(36), store: '店' }, template: generous })).toMatchObject({ code: 'isv.PARAM_LENGTH_LIMIT' });
  });

  it('plays scripted codes, 5xx and hangs in order, then behaves again', async () => {
    await start('aliyun');
    fake.script({ code: 'isv.AMOUNT_NOT_ENOUGH', message: '账户余额不足', times: 2 }, { status: 500 });
    expect(await send('aliyun')).toMatchObject({ kind: 'rejected', reason: 'account', code: 'isv.AMOUNT_NOT_ENOUGH' });
    expect(await send('aliyun')).toMatchObject({ code: 'isv.AMOUNT_NOT_ENOUGH' });
    expect((await send('aliyun')).kind).toBe('retryable');
    expect((await send('aliyun')).kind).toBe('sent');
  });

  it('pushes SmsReport and SmsUp batches that the bot reads back, and knows a proper acknowledgement', async () => {
    await start('aliyun');
    const sent = await send('aliyun');
    const hook = await receiver();
    const [message] = fake.sent;
    if (!message || sent.kind !== 'sent') throw new Error('not sent');
    expect(await fake.pushReceipt(hook.url, message, { delivered: true })).toEqual({ accepted: true, status: 200 });
    await fake.pushReply(hook.url, PHONE, 'TD');
    await fake.resendLast(); // unacknowledged batches come again, byte for byte
    const [receipt, reply, again] = hook.bodies;
    expect(again).toBe(reply);
    expect(parseSmsCallback('aliyun', 'receipt', receipt ?? '')).toMatchObject({ ok: true, events: [{ providerMessageId: sent.providerMessageId, outId: 'k1', delivered: true, code: 'DELIVERED' }] });
    expect(parseSmsCallback('aliyun', 'reply', reply ?? '')).toMatchObject({ ok: true, events: [{ phoneE164: PHONE, text: 'TD' }] });
    const failing = await receiver(500, { error: 'down' });
    expect((await fake.pushReceipt(failing.url, message, { delivered: false })).accepted).toBe(false);
  });
});

describe('fake Tencent Cloud SMS', () => {
  it('accepts the SDK\'s TC3 signature and refuses a tampered body, a stale time stamp and a malformed header', async () => {
    await start('tencent');
    expect((await send('tencent')).kind).toBe('sent');
    const [signed] = fake.requests;
    if (!signed) throw new Error('no request');
    const body = signed.body.toString('utf8').replace('13800138000', '13900139000');
    expect((await replay(signed, { body })).json).toMatchObject({ Response: { Error: { Code: 'AuthFailure.SignatureFailure' } } });
    expect((await replay(signed, { headers: { 'x-tc-timestamp': String(Math.floor(Date.now() / 1000) - 600) } })).json).toMatchObject({ Response: { Error: { Code: 'AuthFailure.SignatureExpire' } } });
    expect((await replay(signed, { headers: { authorization: 'TC3-HMAC-SHA256 nonsense' } })).json).toMatchObject({ Response: { Error: { Code: 'AuthFailure.InvalidAuthorization' } } });
    expect(fake.sent).toHaveLength(1);
  });

  it('checks the parameter count and length against the template', async () => {
    await start('tencent');
    const oneVariable: SmsTemplateSpec = { type: 'notification', variables: [{ name: 'name', kind: 'text' }] };
    expect(await send('tencent', { params: { name: '王先生' }, template: oneVariable })).toMatchObject({ code: 'FailedOperation.TemplateIncorrectOrUnapproved' });
    const generous: SmsTemplateSpec = { type: 'notification', variables: [{ name: 'name', kind: 'text', maxLength: 40 }, { name: 'store', kind: 'text' }] };
    expect(await send('tencent', { params: { name: '王'.repeat(13), store: '店' }, template: generous })).toMatchObject({ code: 'InvalidParameterValue.TemplateParameterLengthLimit' });
  });

  it('reports per-number codes in SendStatusSet and pushes status and reply callbacks the bot reads back', async () => {
    await start('tencent');
    fake.script({ code: 'LimitExceeded.PhoneNumberDailyLimit' });
    expect(await send('tencent')).toMatchObject({ kind: 'throttled', code: 'LimitExceeded.PhoneNumberDailyLimit' });
    const sent = await send('tencent');
    const [message] = fake.sent;
    if (!message || sent.kind !== 'sent') throw new Error('not sent');
    const hook = await receiver(200, { result: 0, errmsg: 'OK' });
    expect((await fake.pushReceipt(hook.url, message, { delivered: false, code: '002' })).accepted).toBe(true);
    await fake.pushReply(hook.url, PHONE, '退订');
    expect(parseSmsCallback('tencent', 'receipt', hook.bodies[0] ?? '')).toMatchObject({ ok: true, events: [{ providerMessageId: sent.providerMessageId, delivered: false, code: '002' }] });
    expect(parseSmsCallback('tencent', 'reply', hook.bodies[1] ?? '')).toMatchObject({ ok: true, events: [{ phoneE164: PHONE, text: '退订' }] });
  });
});
