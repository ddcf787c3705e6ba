import { smsTemplateKey } from './sms-facts.ts';
import type { ClaimedIntent, Plan, PlanContext } from './plan-intent.ts';
import { nextInsideWindow } from './send-window.ts';

/** SMS sends planned earlier in the same batch, so the limits count them too. */
export interface SmsTally {
  store: Map<string, number>;
  customer: Map<string, number>;
}

export const newSmsTally = (): SmsTally => ({ store: new Map(), customer: new Map() });

/** How soon a message held by a used-up monthly budget looks again (a raised budget lets it go then). */
export const SMS_BUDGET_RECHECK_MS = 60 * 60_000;

/** An SMS plan, or why SMS cannot carry the message (for the plan that takes its place). */
export type SmsChoice = { plan: Plan } | { refusal: string };

/** A hold until `until`, or an expiry when that is too late for the message. */
function holdOrExpire(intent: ClaimedIntent, until: Date, reason: string): Plan {
  return until >= intent.expiresAt ? { action: 'expire', reason: `${reason}, and the message would be stale by then` } : { action: 'snooze', until, reason };
}

/**
 * Whether SMS can carry a customer message now, in this order: SMS is configured; the customer
 * has a mobile number that has not refused SMS before and that the account may text; the store
 * has an approved template for the kind (for marketing, one with the opt-out hint 回T退订); the
 * daily marketing cap; the store's monthly budget (used up: held, looked at again hourly), the
 * store's daily limit and the customer's (held to the next day's opening hour). A send is
 * counted in `tally` so the rest of the batch sees it. Consent and quiet hours are checked before.
 */
export function planSms(intent: ClaimedIntent, ctx: PlanContext, tally: SmsTally): SmsChoice {
  const sender = ctx.senders.get('SMS');
  if (!sender) return { refusal: 'SMS is not configured' };
  const number = intent.customerId ? ctx.sms.numbers.get(intent.customerId) : undefined;
  if (!intent.customerId || !number) return { refusal: 'the customer has no mobile number' };
  if (number.blocked) return { refusal: 'the number refused SMS before (blacklisted or invalid)' };
  const numberRefusal = sender.addressRefusal?.(number.phone);
  if (numberRefusal) return { refusal: numberRefusal };
  const template = ctx.sms.templates.get(smsTemplateKey(intent.storeId, intent.kind));
  if (!template) return { refusal: `no approved SMS template for ${intent.kind}` };
  if (intent.purpose === 'MARKETING' && !template.optOutHint) return { refusal: `the SMS template for ${intent.kind} is marketing without the opt-out hint 回T退订` };
  const held = deferralPlan(intent, ctx);
  if (held) return { plan: held };
  const room = ctx.sms.storeRoom.get(intent.storeId);
  const storeSent = tally.store.get(intent.storeId) ?? 0;
  const customerSent = tally.customer.get(intent.customerId) ?? 0;
  if (!room || room.month - storeSent <= 0) {
    const until = new Date(Math.min(room?.nextMonth.getTime() ?? Infinity, ctx.now.getTime() + SMS_BUDGET_RECHECK_MS));
    return { plan: holdOrExpire(intent, until, 'the store\'s monthly SMS budget is used up: held until it is raised or the month ends') };
  }
  const tomorrow = () => nextInsideWindow(room.nextDay, intent.store.customerHours, intent.store.timeZone);
  if (room.today - storeSent <= 0) return { plan: holdOrExpire(intent, tomorrow(), 'the store\'s daily SMS limit is reached') };
  if ((ctx.sms.customerRoom.get(intent.customerId) ?? 0) - customerSent <= 0) return { plan: holdOrExpire(intent, tomorrow(), 'this customer\'s daily SMS limit is reached') };
  tally.store.set(intent.storeId, storeSent + 1);
  tally.customer.set(intent.customerId, customerSent + 1);
  return { plan: { action: 'send', channel: 'SMS', address: number.phone } };
}

/** The daily marketing cap's hold for this intent, if it has one. */
export function deferralPlan(intent: ClaimedIntent, ctx: PlanContext): Plan | null {
  const heldTo = ctx.deferred.get(intent.id);
  if (!heldTo) return null;
  return heldTo >= intent.expiresAt
    ? { action: 'expire', reason: 'the daily marketing limit is reached and the message would be stale tomorrow' }
    : { action: 'snooze', until: heldTo, reason: 'daily marketing limit: a message of higher priority goes first' };
}

/**
 * SMS where it can carry the message, else `fallback` (a hand-over to the consultant, a web chat
 * nobody is watching), with why SMS could not appended to a hand-over's reason. Unchanged when
 * no SMS channel is configured.
 */
export function smsOr(intent: ClaimedIntent, ctx: PlanContext, tally: SmsTally, fallback: Plan): Plan {
  if (!ctx.senders.has('SMS')) return fallback;
  const choice = planSms(intent, ctx, tally);
  if ('plan' in choice) return choice.plan;
  return fallback.action === 'hand-over' ? { ...fallback, reason: `${fallback.reason}; not by SMS: ${choice.refusal}` } : fallback;
}
