import { retryAfterFor, type SmsLimitWindow, type SmsRejectReason, type SmsSendResult } from './sms-provider.ts';

/** What one provider code means for a send; each provider keeps a table of these. */
export type SmsCodeVerdict =
  | { kind: 'throttled'; window: SmsLimitWindow }
  | { kind: 'rejected'; reason: SmsRejectReason; fix?: string }
  | { kind: 'retryable' }
  | { kind: 'ambiguous' };

/** A refusal; `fix` tells the operator what to change (a setting, the console, the template). */
export const rejectedFor = (reason: SmsRejectReason, fix?: string): SmsCodeVerdict => ({ kind: 'rejected', reason, ...(fix ? { fix } : {}) });

/** A limit that reopens when `window` has passed. */
export const throttledFor = (window: SmsLimitWindow): SmsCodeVerdict => ({ kind: 'throttled', window });

/** The entry for `code` in `table`, if it has one of its own. */
export function lookupVerdict(table: Readonly<Record<string, SmsCodeVerdict>>, code: string): SmsCodeVerdict | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/** The send result a verdict stands for, in the provider's words. */
export function resultOfVerdict(verdict: SmsCodeVerdict, code: string, message: string, now: Date): SmsSendResult {
  switch (verdict.kind) {
    case 'throttled':
      return { kind: 'throttled', retryAfterMs: retryAfterFor(verdict.window, now), code, message };
    case 'retryable':
      return { kind: 'retryable', error: `${code}: ${message}` };
    case 'ambiguous':
      return { kind: 'ambiguous', error: `${code}: ${message}` };
    case 'rejected':
      return { kind: 'rejected', reason: verdict.reason, code, message: verdict.fix ? `${message} (${verdict.fix})` : message };
    default:
      return verdict satisfies never;
  }
}
