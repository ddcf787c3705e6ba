import { createHash, timingSafeEqual } from 'node:crypto';
import { parseAliyunReceipts, parseAliyunReplies } from './aliyun-sms-callbacks.ts';
import type { ItemParse, SmsCallbackEvent, SmsCallbackKind } from './sms-callback-items.ts';
import { parseTencentReceipts, parseTencentReplies } from './tencent-sms-callbacks.ts';

export type { SmsCallbackEvent, SmsCallbackKind } from './sms-callback-items.ts';

/**
 * A parsed callback body. Items that cannot be read are skipped with the reason (the rest of the
 * batch still counts); a body that is not a batch at all is refused as a whole. Nothing here throws.
 */
export type SmsCallbackParse =
  | { ok: true; events: SmsCallbackEvent[]; skipped: { index: number; reason: string }[] }
  | { ok: false; reason: string };

const MAX_BODY_BYTES = 1_048_576;
const MAX_ITEMS = 5_000;

/**
 * Reads a callback body as the provider POSTs it (JSON, UTF-8):
 * - Alibaba HTTP batch push: `SmsReport` — an array of `{ phone_number, send_time, report_time,
 *   success, err_code, err_msg, sms_size, biz_id, out_id }`; `SmsUp` — an array of
 *   `{ phone_number, send_time, content, sign_name, dest_code, sequence_id }`.
 * - Tencent: the status callback — an array of `{ user_receive_time, nationcode, mobile,
 *   report_status, errmsg, description, sid }`; the reply callback — one object (arrays are
 *   accepted too) `{ extend, mobile, nationcode, sign, text, time }`.
 * Times without a zone are Beijing time.
 */
export function parseSmsCallback(provider: 'aliyun' | 'tencent', kind: SmsCallbackKind, body: string | Buffer): SmsCallbackParse {
  try {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (size > MAX_BODY_BYTES) return { ok: false, reason: `body larger than ${MAX_BODY_BYTES} bytes` };
    let json: unknown;
    try {
      json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    const items = Array.isArray(json) ? json : provider === 'tencent' && kind === 'reply' && isRecord(json) ? [json] : null;
    if (!items) return { ok: false, reason: 'body is not a JSON array of callback items' };
    if (items.length > MAX_ITEMS) return { ok: false, reason: `more than ${MAX_ITEMS} items` };
    const parse = PARSERS[provider][kind];
    const events: SmsCallbackEvent[] = [];
    const skipped: { index: number; reason: string }[] = [];
    items.forEach((item: unknown, index) => {
      const result = parse(item);
      if ('event' in result) events.push(result.event);
      else skipped.push({ index, reason: result.reason });
    });
    return { ok: true, events, skipped };
  } catch (error) {
    return { ok: false, reason: `unreadable body (${error instanceof Error ? error.name : 'error'})` };
  }
}

const PARSERS = {
  aliyun: { receipt: parseAliyunReceipts, reply: parseAliyunReplies },
  tencent: { receipt: parseTencentReceipts, reply: parseTencentReplies },
} as const satisfies Record<'aliyun' | 'tencent', Record<SmsCallbackKind, (item: unknown) => ItemParse>>;

/**
 * The acknowledgement each provider requires, or it pushes the batch again: Alibaba HTTP 200
 * with a numeric `code`; Tencent `{ result: 0, errmsg: "OK" }`. Answer it for every readable
 * batch, also when items were skipped: a resend would not make them readable.
 */
export function smsCallbackAck(provider: 'aliyun' | 'tencent'): Record<string, string | number> {
  return provider === 'aliyun' ? { code: 0, msg: '接收成功' } : { result: 0, errmsg: 'OK' };
}

/**
 * Neither Alibaba's HTTP batch push nor Tencent's callbacks are signed (their documentation
 * describes no signature or token), so the callback URL carries a secret path segment
 * (SMS_CALLBACK_TOKEN) and this compares it in constant time. Hashing first makes both sides
 * the same length, so the comparison does not reveal the token's length either.
 */
export function callbackTokenMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || expected.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
