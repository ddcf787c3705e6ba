// Delivery receipts and replies as the providers POST them (fixtures in test/fixtures/sms/ follow
// the documented payloads), and hostile bodies: never a throw, never an event.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callbackTokenMatches, parseSmsCallback, smsCallbackAck, type SmsCallbackKind } from '../../../bot/channels/sms/sms-callbacks.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../fixtures/sms', name), 'utf8');
const events = (provider: 'aliyun' | 'tencent', kind: SmsCallbackKind, body: string) => {
  const parsed = parseSmsCallback(provider, kind, body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
};

describe('SMS callbacks', () => {
  it('reads Alibaba SmsReport items: BizId, our OutId, delivered or the carrier code, Beijing time', () => {
    const { events: receipts, skipped } = events('aliyun', 'receipt', fixture('aliyun-sms-report.json'));
    expect(skipped).toEqual([]);
    expect(receipts).toMatchObject([
      { kind: 'receipt', providerMessageId: '900619746936498123^0', outId: 'thanks:visit-1', delivered: true, code: 'DELIVERED', at: new Date('2025-05-01T02:00:07Z') },
      { kind: 'receipt', providerMessageId: '900619746936498124^0', delivered: false, code: 'UNDELIV', at: new Date('2025-05-01T02:01:30Z') },
    ]);
    expect(receipts[1]).not.toHaveProperty('outId');
  });

  it('reads Alibaba SmsUp items as replies with E.164 numbers, whether sequence_id is a number or a string', () => {
    const { events: replies } = events('aliyun', 'reply', fixture('aliyun-sms-up.json'));
    expect(replies).toMatchObject([
      { kind: 'reply', phoneE164: '+8613800138000', text: 'TD', at: new Date('2025-05-01T02:05:00Z') },
      { kind: 'reply', phoneE164: '+8613900139000', text: '好的，周六上午到店' },
    ]);
  });

  it('reads Tencent status callbacks and the reply callback (one object, or an array)', () => {
    expect(events('tencent', 'receipt', fixture('tencent-sms-status.json')).events).toMatchObject([
      { kind: 'receipt', providerMessageId: '5000:1045710669157053657849499620', delivered: true, code: 'DELIVRD', at: new Date('2025-05-01T02:00:07Z') },
      { kind: 'receipt', providerMessageId: '5000:1045710669157053657849499621', delivered: false, code: '002' },
    ]);
    const single = events('tencent', 'reply', fixture('tencent-sms-reply.json')).events;
    expect(single).toMatchObject([{ kind: 'reply', phoneE164: '+8613800138000', text: '退订', at: new Date('2025-05-01T02:00:00Z') }]);
    expect(events('tencent', 'reply', `[${fixture('tencent-sms-reply.json')}]`).events).toEqual(single);
  });

  it('gives a resent batch the same keys and different events different keys, with no phone number in them', () => {
    const first = events('aliyun', 'receipt', fixture('aliyun-sms-report.json')).events.map((e) => e.dedupeKey);
    const again = events('aliyun', 'receipt', fixture('aliyun-sms-report.json')).events.map((e) => e.dedupeKey);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
    const replyKeys = events('tencent', 'reply', fixture('tencent-sms-reply.json')).events.map((e) => e.dedupeKey);
    expect(replyKeys).toEqual(events('tencent', 'reply', fixture('tencent-sms-reply.json')).events.map((e) => e.dedupeKey));
    expect([...first, ...replyKeys].join(' ')).not.toMatch(/138001|139001/);
  });

  it('skips unreadable items with a reason and keeps the rest of the batch', () => {
    const batch = JSON.parse(fixture('aliyun-sms-report.json')) as Record<string, unknown>[];
    batch[0] = { ...batch[0], success: 'yes' };
    const parsed = events('aliyun', 'receipt', JSON.stringify(batch));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.skipped).toEqual([{ index: 0, reason: expect.stringContaining('success') }]);
    const badPhone = events('aliyun', 'reply', JSON.stringify([{ phone_number: '12345', send_time: '2025-05-01 10:00:00', content: 'TD', sequence_id: 1 }]));
    expect(badPhone.skipped[0]?.reason).toContain('not a mobile number');
  });

  it('refuses bodies that are not a batch, with a reason', () => {
    expect(parseSmsCallback('aliyun', 'receipt', 'not json')).toEqual({ ok: false, reason: 'body is not JSON' });
    expect(parseSmsCallback('aliyun', 'reply', '{"phone_number":"13800138000"}')).toMatchObject({ ok: false });
    expect(parseSmsCallback('tencent', 'receipt', `[${'"x",'.repeat(300_000)}"x"]`)).toMatchObject({ ok: false, reason: expect.stringContaining('larger than') });
  });

  it('compares the callback token in constant time and refuses anything else', () => {
    const token = 'cb_4f1d2c3b4a5968778695a4b3c2d1e0f1';
    expect(callbackTokenMatches(token, token)).toBe(true);
    expect(callbackTokenMatches(token, `${token}x`)).toBe(false);
    expect(callbackTokenMatches(token, undefined)).toBe(false);
    expect(callbackTokenMatches(token, ['a'])).toBe(false);
    expect(callbackTokenMatches('', '')).toBe(false);
    expect(smsCallbackAck('aliyun')).toEqual({ code: 0, msg: '接收成功' });
    expect(smsCallbackAck('tencent')).toEqual({ result: 0, errmsg: 'OK' });
  });

  it('never throws on hostile bodies and never makes an event of them', () => {
    const targets = fc.constantFrom(
      ['aliyun', 'receipt', 'aliyun-sms-report.json'] as const,
      ['aliyun', 'reply', 'aliyun-sms-up.json'] as const,
      ['tencent', 'receipt', 'tencent-sms-status.json'] as const,
      ['tencent', 'reply', 'tencent-sms-reply.json'] as const,
    );
    const required: Record<string, string[]> = {
      'aliyun-sms-report.json': ['phone_number', 'report_time', 'success', 'err_code', 'biz_id'],
      'aliyun-sms-up.json': ['phone_number', 'send_time', 'content', 'sequence_id'],
      'tencent-sms-status.json': ['user_receive_time', 'mobile', 'report_status', 'errmsg', 'sid'],
      'tencent-sms-reply.json': ['mobile', 'nationcode', 'text', 'time'],
    };
    // A real item with one required field removed, or given a value of no documented type.
    const corrupted = (name: string) => fc.tuple(fc.nat(), fc.boolean(), fc.constantFrom<unknown>({}, [], [[1]], { toString: 'x' })).map(([pick, remove, value]) => {
      const real = JSON.parse(fixture(name)) as unknown;
      const items = (Array.isArray(real) ? real : [real]) as Record<string, unknown>[];
      const item = { ...items[pick % items.length] };
      const fields = required[name] ?? [];
      const key = fields[pick % fields.length] ?? '';
      if (remove) delete item[key];
      else item[key] = value;
      return JSON.stringify([item]);
    });
    const hostile = (name: string) => fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.array(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), { maxLength: 5 }).map((a) => JSON.stringify(a)),
      fc.constantFrom('[{"__proto__":{"admin":true}}]', '{"constructor":{"prototype":{"x":1}}}', '[null,1,"a",[],{}]', `[${'['.repeat(2_000)}${']'.repeat(2_000)}]`, '\u0000', '[]'),
      corrupted(name),
    );
    fc.assert(fc.property(targets.chain((t) => fc.tuple(fc.constant(t), hostile(t[2]))), ([[provider, kind], body]) => {
      const parsed = parseSmsCallback(provider, kind, body);
      expect(parsed.ok ? parsed.events : []).toEqual([]);
    }), { numRuns: 400 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
