import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { z } from 'zod';

/**
 * What the providers push to us, channel-neutral: a delivery receipt (状态报告) for a message we
 * sent, or a reply (上行) a customer texted back. Providers resend a batch until it is
 * acknowledged (Alibaba after 1, 5 and 10 minutes; the same batch again), so each event carries a
 * stable `dedupeKey`: the provider's own id where it has one, else a hash of the fields that
 * identify the event. Keys never contain phone numbers.
 */
export type SmsCallbackEvent =
  | { kind: 'receipt'; providerMessageId: string; outId?: string; delivered: boolean; code: string; at: Date; dedupeKey: string }
  | { kind: 'reply'; phoneE164: string; text: string; at: Date; dedupeKey: string };

/** Which callback an endpoint receives: each is configured with its own URL in the provider's console. */
export type SmsCallbackKind = 'receipt' | 'reply';

/** One item's outcome inside a provider parser. */
export type ItemParse = { event: SmsCallbackEvent } | { reason: string };

const PROVIDER_ZONE = 'Asia/Shanghai';

/** A stable de-duplication key from the fields that identify an event; no phone number shows in it. */
export function dedupeKeyOf(provider: 'aliyun' | 'tencent', kind: SmsCallbackKind, parts: readonly (string | number | boolean)[]): string {
  return `${provider}:${kind}:${createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex').slice(0, 32)}`;
}

/** A provider time stamp (`2017-01-01 00:00:00` or `20170101000000`, Beijing time) as an instant; null when unreadable. */
export function beijingInstant(text: string): Date | null {
  const parsed = [DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm:ss', { zone: PROVIDER_ZONE }), DateTime.fromFormat(text, 'yyyyMMddHHmmss', { zone: PROVIDER_ZONE })].find((d) => d.isValid);
  return parsed && parsed.year >= 2000 && parsed.year < 2100 ? parsed.toJSDate() : null;
}

/** Validates one item with `schema`, then builds its event; the first problem zod finds becomes the reason. */
export function parseItem<T>(schema: z.ZodType<T>, item: unknown, build: (data: T) => ItemParse): ItemParse {
  const parsed = schema.safeParse(item);
  if (parsed.success) return build(parsed.data);
  const issue = parsed.error.issues[0];
  return { reason: issue ? `${issue.path.join('.') || 'item'}: ${issue.message}` : 'invalid item' };
}
