import { z } from 'zod';
import { normalizePhone } from '../../../core/customers/phone.ts';
import { beijingInstant, dedupeKeyOf, parseItem, type ItemParse } from './sms-callback-items.ts';

// Tencent Cloud SMS callbacks (短信下发状态通知 and 短信回复), field names as documented. Lengths
// are bounded generously: enough for any real value, not for an attacker's.
const receiptItem = z.object({
  user_receive_time: z.string().max(32),
  nationcode: z.string().max(8).nullish(),
  mobile: z.string().min(1).max(32),
  report_status: z.enum(['SUCCESS', 'FAIL']),
  errmsg: z.string().max(64),
  description: z.string().max(512).nullish(),
  sid: z.string().min(1).max(128),
});

const replyItem = z.object({
  extend: z.string().max(32).nullish(),
  mobile: z.string().min(1).max(32),
  nationcode: z.string().regex(/^\d{1,4}$/),
  sign: z.string().max(64).nullish(),
  text: z.string().min(1).max(2_000),
  time: z.union([z.number().int().positive(), z.string().regex(/^\d{1,12}$/)]),
});

/** One status item: `sid` is the SerialNo SendSms answered; `errmsg` is `DELIVRD` or the carrier's code. */
export function parseTencentReceipts(item: unknown): ItemParse {
  return parseItem(receiptItem, item, (r) => {
    const at = beijingInstant(r.user_receive_time);
    if (!at) return { reason: 'user_receive_time: not a time' };
    return {
      event: {
        kind: 'receipt', providerMessageId: r.sid, delivered: r.report_status === 'SUCCESS', code: r.errmsg || r.report_status, at,
        dedupeKey: dedupeKeyOf('tencent', 'receipt', [r.sid, r.mobile, r.report_status, r.errmsg, r.user_receive_time]),
      },
    };
  });
}

/** One reply: Tencent gives it no id, so its key is a hash of sender, time, extension code and text. */
export function parseTencentReplies(item: unknown): ItemParse {
  return parseItem(replyItem, item, (r) => {
    const phoneE164 = normalizePhone(r.nationcode === '86' ? r.mobile : `+${r.nationcode}${r.mobile}`);
    if (!phoneE164) return { reason: 'mobile: not a mobile number' };
    const seconds = Number(r.time);
    const at = new Date(seconds * 1000);
    if (at.getUTCFullYear() < 2000 || at.getUTCFullYear() >= 2100) return { reason: 'time: out of range' };
    return { event: { kind: 'reply', phoneE164, text: r.text, at, dedupeKey: dedupeKeyOf('tencent', 'reply', [r.nationcode, r.mobile, seconds, r.extend ?? '', r.text]) } };
  });
}
