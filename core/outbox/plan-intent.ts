import type { ChannelName, MessagePurpose } from '../messages.ts';
import type { SmsFacts } from './sms-facts.ts';
import { PHONE_CODE_KIND } from './sms-kinds.ts';
import { deferralPlan, newSmsTally, planSms, smsOr, type SmsTally } from './sms-plan.ts';
import { isInsideWindow, nextInsideWindow, type DailyWindow } from './send-window.ts';

/** How a hold for quiet hours begins its reason (`lastError` while held), so reports can count the messages held now. */
export const QUIET_HOURS_HOLD = 'outside ';

/** What the dispatcher knows about a claimed intent before sending it. */
export interface ClaimedIntent {
  id: string;
  state: string;
  storeId: string;
  /** Template or kind name, e.g. "visit_thanks": which SMS template carries it. */
  kind: string;
  purpose: MessagePurpose;
  customerId: string | null;
  staffId: string | null;
  channel: ChannelName | null;
  address: string | null;
  expiresAt: Date;
  store: { timeZone: string; customerHours: DailyWindow; staffHours: DailyWindow };
}

/** The facts gathered for a batch, looked up once. */
export interface PlanContext {
  now: Date;
  /** Consent in force, keyed `${customerId}:${purpose}`. */
  consents: Map<string, boolean>;
  /** The customer's most recently seen reachable identity, by customer id. */
  reachable: Map<string, { channel: ChannelName; address: string }>;
  /** The chat a staff member receives staff messages on, by staff id. */
  staffReachable: Map<string, { channel: ChannelName; address: string }>;
  /** Customers whose number a manager confirmed wrong or dead: no customer care goes to them. */
  careStopped: Set<string>;
  /**
   * Channels with a sender: whether ambiguous sends may be repeated, whether they can push, and
   * why one cannot send to an address at all (SMS: an international number the account may not text).
   */
  senders: Map<ChannelName, { resendIsSafe: boolean; canPush: boolean; addressRefusal?: (address: string) => string | null }>;
  /**
   * Chats whose channel answered for them (`ChannelSender.reachNow`), keyed by `chatKey`: true
   * when a window is open now, false when it is closed. Overrides the channel's `canPush`.
   */
  chatReach: Map<string, boolean>;
  /** Chats nobody watches now (`ChannelSender.unattended`: a web chat whose page is closed), keyed by `chatKey`. */
  unattended: Set<string>;
  /** Numbers, templates and budget room for sending customer messages by SMS. */
  sms: SmsFacts;
  /** Marketing intents held back by the daily frequency cap, with the time to hold them to. */
  deferred: Map<string, Date>;
}

/** What to do with one claimed intent. */
export type Plan =
  | { action: 'send'; channel: ChannelName; address: string }
  | { action: 'snooze'; until: Date; reason: string }
  | { action: 'expire'; reason: string }
  | { action: 'cancel'; reason: string }
  | { action: 'dead'; reason: string }
  /** No channel can push to the customer: their consultant gets the text to forward. */
  | { action: 'hand-over'; reason: string }
  | { action: 'unknown'; reason: string };

/** How long to wait before looking again for a staff member's chat channel. */
export const UNLINKED_STAFF_RETRY_MS = 60 * 60_000;

/** How long to wait for a channel that has no sender configured yet. */
export const UNCONFIGURED_CHANNEL_RETRY_MS = 5 * 60_000;

/** The key of one chat in `PlanContext.chatReach`. */
export const chatKey = (channel: ChannelName, address: string): string => `${channel}:${address}`;

/**
 * What stops an intent before its reach is looked at: a send interrupted by a crash that may not
 * be repeated, staleness, stopped care, consent withdrawn, quiet hours; null when none does.
 */
function notNow(intent: ClaimedIntent, ctx: PlanContext, resendIsSafe: boolean): Plan | null {
  if (intent.state === 'SENDING' && !resendIsSafe) {
    return { action: 'unknown', reason: 'the dispatcher stopped while sending: the message may or may not have been delivered' };
  }
  if (ctx.now >= intent.expiresAt) return { action: 'expire', reason: 'too late to send' };
  const customerCare = intent.purpose === 'SERVICE' || intent.purpose === 'MARKETING';
  if (intent.customerId && customerCare && ctx.careStopped.has(intent.customerId)) {
    return { action: 'cancel', reason: 'a manager confirmed this customer\'s number is wrong or dead' };
  }
  if (intent.customerId && customerCare && ctx.consents.get(`${intent.customerId}:${intent.purpose}`) !== true) {
    return { action: 'cancel', reason: `no ${intent.purpose.toLowerCase()} consent in force` };
  }
  const window = intent.purpose === 'STAFF' ? intent.store.staffHours : intent.store.customerHours;
  if (intent.purpose !== 'REPLY' && !isInsideWindow(ctx.now, window, intent.store.timeZone)) {
    const until = nextInsideWindow(ctx.now, window, intent.store.timeZone);
    if (until >= intent.expiresAt) return { action: 'expire', reason: 'the next allowed hour is after the message goes stale' };
    return { action: 'snooze', until, reason: `${QUIET_HOURS_HOLD}${window.start}–${window.end} ${intent.store.timeZone}` };
  }
  return null;
}

/**
 * Decides, at claim time, whether an intent goes out now. Pure but for `tally`, which counts the
 * SMS sends planned earlier in the batch: the order of the checks is the policy. A send
 * interrupted by a crash is ambiguous; stale messages expire rather than go out late; consent is
 * checked again now, not only when the intent was created; quiet hours hold a message without
 * counting an attempt. Then reach, chat channels first: a chat that can take the message gets
 * it; a customer no chat reaches (none, or a reply window closed) gets an SMS where SMS may
 * carry it (sms-plan.ts), else their consultant gets it as a task; a WeCom contact goes to their
 * consultant; a web chat nobody watches yields to SMS. The daily marketing cap holds the lower
 * priorities. Free-text replies never go by SMS (it carries approved templates only); a one-time
 * code (PHONE_CODE_KIND) goes by SMS to its number as a reply does to a chat.
 */
export function planIntent(intent: ClaimedIntent, ctx: PlanContext, tally: SmsTally = newSmsTally()): Plan {
  const target = intent.channel && intent.address
    ? { channel: intent.channel, address: intent.address }
    : intent.purpose === 'STAFF' || intent.purpose === 'REPLY'
      ? (intent.staffId ? ctx.staffReachable.get(intent.staffId) : undefined)
      : (intent.customerId ? ctx.reachable.get(intent.customerId) : undefined);
  const sender = target ? ctx.senders.get(target.channel) : undefined;
  const stopped = notNow(intent, ctx, sender?.resendIsSafe ?? false);
  if (stopped) return stopped;
  const toCustomer = intent.customerId !== null && (intent.purpose === 'SERVICE' || intent.purpose === 'MARKETING');
  if (target?.channel === 'SMS' && intent.kind !== PHONE_CODE_KIND) {
    if (!toCustomer) return { action: 'cancel', reason: 'SMS carries approved templates only: a free-text message is not sent by SMS' };
    const choice = planSms(intent, ctx, tally);
    return 'plan' in choice ? choice.plan : { action: 'hand-over', reason: `not by SMS: ${choice.refusal}` };
  }
  if (!target && toCustomer) return smsOr(intent, ctx, tally, { action: 'hand-over', reason: 'no chat of ours reaches this customer' });
  if (!target && intent.staffId) {
    // Staff link a chat channel later (console, Telegram, WeCom); until then the admin pages show the alert.
    return { action: 'snooze', until: new Date(ctx.now.getTime() + UNLINKED_STAFF_RETRY_MS), reason: 'this staff member has no chat channel linked yet' };
  }
  if (!target) return { action: 'dead', reason: 'no channel can reach this recipient' };
  if (!sender) {
    return { action: 'snooze', until: new Date(ctx.now.getTime() + UNCONFIGURED_CHANNEL_RETRY_MS), reason: `channel ${target.channel} is not configured` };
  }
  const refusal = sender.addressRefusal?.(target.address);
  if (refusal) return { action: 'dead', reason: refusal };
  const windowOpen = ctx.chatReach.get(chatKey(target.channel, target.address));
  // A closed reply window (微信客服 48 h / 5 messages) holds replies too: the consultant forwards them.
  if (windowOpen === false && intent.purpose !== 'STAFF') {
    const handOver: Plan = { action: 'hand-over', reason: `the ${target.channel} chat's reply window is closed` };
    return toCustomer ? smsOr(intent, ctx, tally, handOver) : handOver;
  }
  // A WeCom contact is reached through their consultant (a one-tap template), a chat channel before SMS.
  if (toCustomer && !(windowOpen ?? sender.canPush)) return { action: 'hand-over', reason: `${target.channel} cannot send to customers without an employee` };
  const held = deferralPlan(intent, ctx);
  if (held) return held;
  const send: Plan = { action: 'send', channel: target.channel, address: target.address };
  return toCustomer && ctx.unattended.has(chatKey(target.channel, target.address)) ? smsOr(intent, ctx, tally, send) : send;
}

/** Plans a claimed batch in order, the SMS limits counting the SMS sends planned before each. */
export function planBatch(intents: readonly ClaimedIntent[], ctx: PlanContext): Plan[] {
  const tally = newSmsTally();
  return intents.map((intent) => planIntent(intent, ctx, tally));
}
