import { DateTime } from 'luxon';
import type { SendOutcome } from '../../../core/outbox/channel-port.ts';
import { checkTemplateParams, type SmsTemplateSpec } from './sms-template-params.ts';

/** One SMS to one number through an approved signature and template. */
export interface SmsSendRequest {
  /** E.164, e.g. `+8613812345678`. */
  phoneE164: string;
  /** The registered signature shown as 【…】, e.g. `星河汽车`. */
  signName: string;
  /** Alibaba's `SMS_…` code or Tencent's numeric template id. */
  templateCode: string;
  /** The approved template as the bot knows it: its variables in template order, checked before sending. */
  template: SmsTemplateSpec;
  /** The template's variables by name; the Tencent adapter orders them by the template's spec. */
  params: Record<string, string>;
  /** Our key for this message (the intent's dedupe key); providers echo it back (OutId / SessionContext). */
  outId: string;
}

/** Why a provider refused a message for good. */
export type SmsRejectReason =
  /** The number is malformed or not a mobile number: sending again will not help. */
  | 'invalid-number'
  /** The number is on the provider's or a carrier's do-not-disturb list (often after an unsubscribe). */
  | 'blacklisted'
  /** Signature or template not approved, or not allowed for this kind of message or number. */
  | 'not-approved'
  /** A template variable is missing, too long, of the wrong type or contains a forbidden word or link. */
  | 'param-invalid'
  /** The access key, its secret or the app id is wrong: a setting must be fixed. */
  | 'credentials'
  /** Balance, service state or permissions of the account: the operator must act. */
  | 'account'
  | 'other';

/**
 * What became of one send, in the provider's words. Failures are classified once, in the adapter;
 * `classifySmsResult` turns this into the outbox's `SendOutcome`.
 */
export type SmsSendResult =
  /** Accepted; the provider's id for the message (Alibaba BizId, Tencent SerialNo). Delivery comes later, by receipt. */
  | { kind: 'sent'; providerMessageId: string }
  /** Refused because of a frequency limit or quota; nothing was sent. Try again after `retryAfterMs`. */
  | { kind: 'throttled'; retryAfterMs: number; code: string; message: string }
  /** Refused for good; `message` names what to fix (a setting, the template, the number). */
  | { kind: 'rejected'; reason: SmsRejectReason; code: string; message: string }
  /** The request left but no answer came: the message may have been sent. Providers do not de-duplicate. */
  | { kind: 'ambiguous'; error: string }
  /** The request never reached the provider (connection refused) or the provider failed before taking it (5xx). */
  | { kind: 'retryable'; error: string };

/** A cloud SMS provider behind its official SDK; only as wide as the SMS channel needs. */
export interface SmsProvider {
  readonly name: 'aliyun' | 'tencent';
  /** Sends one message; never throws for provider or network failures. */
  send(request: SmsSendRequest, signal: AbortSignal): Promise<SmsSendResult>;
}

/**
 * The outbox's reading of an SMS result, decided here once: throttling is a retry at the time the
 * provider's window opens (never `dead` for it), an invalid or do-not-disturb number stops
 * further sends to that address, other refusals are final, and "sent but no answer" stays
 * ambiguous (the dispatcher alerts instead of risking a second paid message).
 */
export function classifySmsResult(result: SmsSendResult): SendOutcome {
  switch (result.kind) {
    case 'sent':
      return { status: 'sent', providerMessageId: result.providerMessageId };
    case 'throttled':
      return { status: 'retry', error: `${result.code}: ${result.message}`, retryAfterMs: result.retryAfterMs };
    case 'retryable':
      return { status: 'retry', error: result.error };
    case 'ambiguous':
      return { status: 'ambiguous', error: result.error };
    case 'rejected': {
      const error = `${result.code}: ${result.message}`;
      return result.reason === 'invalid-number' || result.reason === 'blacklisted' ? { status: 'blocked', error } : { status: 'rejected', error };
    }
    default:
      return result satisfies never;
  }
}

/** The windows providers count sends in; a throttled send may go again when its window opens. */
export type SmsLimitWindow = 'second' | 'thirty-seconds' | 'minute' | 'hour' | 'day' | 'marketing-hours';

const PROVIDER_ZONE = 'Asia/Shanghai';

/**
 * How long to wait before a send refused for `window` may succeed. Daily limits and quotas are
 * counted per calendar day in Beijing time (the providers' consoles speak of 日/自然日), so they
 * reopen at the next midnight there; marketing messages are refused outside 08:00–22:00 there.
 */
export function retryAfterFor(window: SmsLimitWindow, now: Date): number {
  switch (window) {
    case 'second': return 1_000;
    case 'thirty-seconds': return 30_000;
    case 'minute': return 60_000;
    case 'hour': return 3_600_000;
    case 'day': {
      const local = DateTime.fromJSDate(now, { zone: PROVIDER_ZONE });
      return Math.max(1_000, local.plus({ days: 1 }).startOf('day').toMillis() - now.getTime());
    }
    case 'marketing-hours': {
      const local = DateTime.fromJSDate(now, { zone: PROVIDER_ZONE });
      const today8 = local.startOf('day').plus({ hours: 8 });
      const next = local < today8 ? today8 : today8.plus({ days: 1 });
      return Math.max(1_000, next.toMillis() - now.getTime());
    }
    default:
      return window satisfies never;
  }
}

/** Network failures that prove the request never reached the provider: safe to send again. */
const NEVER_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

/**
 * A transport failure (no provider answer) as a result: only a refused connection or a failed
 * name lookup proves nothing left; a timeout, a reset or an abort may come after the provider
 * took the message.
 */
export function transportFailure(error: unknown): SmsSendResult {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const neverSent = NEVER_SENT.find((c) => c === code || message.includes(c));
  if (neverSent) return { kind: 'retryable', error: `${message} (${neverSent})` };
  return { kind: 'ambiguous', error: message };
}

/**
 * Runs `send` unless `signal` has already fired, and stops waiting for it when `signal` fires
 * later (the SDKs cannot all be cancelled; a late answer is ignored). An abort before the call
 * means nothing left; an abort during it means the message may have gone.
 */
export async function withAbort(signal: AbortSignal, send: () => Promise<SmsSendResult>): Promise<SmsSendResult> {
  if (signal.aborted) return { kind: 'retryable', error: 'cancelled before the request was sent' };
  let onAbort: () => void = () => {};
  const aborted = new Promise<SmsSendResult>((resolve) => {
    onAbort = () => resolve({ kind: 'ambiguous', error: 'cancelled while waiting for the provider' });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([send(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The code of results refused by our own checks, before any request. */
export const LOCAL_CHECK_CODE = 'LOCAL_CHECK';

/**
 * Checks `request` against its template first (a refusal costs nothing and names the variable),
 * then runs `call` with the values in template order, no longer waiting once `signal` fires.
 */
export function sendChecked(provider: SmsProvider['name'], request: SmsSendRequest, signal: AbortSignal, call: (ordered: string[]) => Promise<SmsSendResult>): Promise<SmsSendResult> {
  const checked = checkTemplateParams(provider, request.template, request.params);
  if (!checked.ok) return Promise.resolve({ kind: 'rejected', reason: 'param-invalid', code: LOCAL_CHECK_CODE, message: checked.error });
  return withAbort(signal, () => call(checked.ordered));
}
