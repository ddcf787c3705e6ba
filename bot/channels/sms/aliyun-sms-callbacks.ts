import { z } from 'zod';
import { normalizePhone } from '../../../core/customers/phone.ts';
import { beijingInstant, dedupeKeyOf, parseItem, type ItemParse } from './sms-callback-items.ts';

// Alibaba Cloud HTTP batch push (HTTP批量推送模式), field names as documented for SmsReport and
// SmsUp. Lengths are bounded generously: enough for any real value, not for an attacker's.
const receiptItem = z.object({
  phone_number: z.string().min(1).max(32),
  send_time: z.string().max(32).optional(),
  report_time: z.string().max(32),
  success: z.boolean(),
  err_code: z.string().min(1).max(64),
  err_msg: z.string().max(512).optional(),
  sms_size: z.union([z.string().max(8), z.number()]).optional(),
  biz_id: z.string().min(1).max(128),
  out_id: z.string().max(256).nullish(),
});

const replyItem = z.object({
  phone_number: z.string().min(1).max(32),
  send_time: z.string().max(32),
  content: z.string().min(1).max(2_000),
  sign_name: z.string().max(64).nullish(),
  dest_code: z.string().max(32).nullish(),
  // A number in the older documentation, a string in the newer.
  sequence_id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
});

/** One SmsReport item: `biz_id` is the BizId SendSms answered, `out_id` our key, `err_code` `DELIVERED` or the carrier's code. */
export function parseAliyunReceipts(item: unknown): ItemParse {
  return parseItem(receiptItem, item, (r) => {
    const at = beijingInstant(r.report_time);
    if (!at) return { reason: 'report_time: not a time' };
    return {
      event: {
        kind: 'receipt', providerMessageId: r.biz_id, ...(r.out_id ? { outId: r.out_id } : {}), delivered: r.success, code: r.err_code, at,
        dedupeKey: dedupeKeyOf('aliyun', 'receipt', [r.biz_id, r.phone_number, r.err_code, r.report_time]),
      },
    };
  });
}

/** One SmsUp item: `sequence_id` identifies the reply, so resends share its key. */
export function parseAliyunReplies(item: unknown): ItemParse {
  return parseItem(replyItem, item, (r) => {
    const phoneE164 = normalizePhone(r.phone_number);
    if (!phoneE164) return { reason: 'phone_number: not a mobile number' };
    const at = beijingInstant(r.send_time);
    if (!at) return { reason: 'send_time: not a time' };
    return { event: { kind: 'reply', phoneE164, text: r.content, at, dedupeKey: dedupeKeyOf('aliyun', 'reply', [String(r.sequence_id), r.dest_code ?? '']) } };
  });
}
