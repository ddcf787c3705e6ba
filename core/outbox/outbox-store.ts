import type { MessageIntent, Store } from '../db/generated/client.ts';
import type { ChannelName } from '../messages.ts';
import type { AlertKind } from './alerts.ts';
import type { PlanContext } from './plan-intent.ts';

/** A claimed intent with its store, as the dispatcher plans it. */
export type ClaimedRow = MessageIntent & { store: Store };

/** A claimed intent and the dispatcher holding its lease: a change applies only while it still does. */
export interface LeaseGuard {
  id: string;
  owner: string;
}

/** How an intent ends without being sent. */
export type EndState = 'EXPIRED' | 'CANCELLED' | 'DEAD' | 'UNKNOWN';

/** A send of the batch with the chat the plan chose for it. */
export interface SendingItem {
  id: string;
  channel: ChannelName;
  address: string;
  lane: string;
}

/** The facts about a batch's recipients that planning needs (see `PlanContext`). */
export type RecipientFacts = Pick<PlanContext, 'consents' | 'reachable' | 'staffReachable' | 'careStopped' | 'deferred' | 'sms'>;

/**
 * Where the dispatcher keeps its intents: the port between its decisions (plan, line, rate
 * limits, retries) and their storage. The application's store is `sqlOutboxStore` (SQLite or
 * PostgreSQL through Prisma); the model test also runs the dispatcher on an in-memory store
 * that is checked against it, so it can try thousands of schedules in seconds.
 *
 * The line rule every implementation keeps: an intent may be claimed only when no other active
 * intent of its chat (`lane`) is being sent or was due before it (`comesBefore`); an intent
 * left `SENDING` by a dispatcher that died is free once its lease ends.
 */
export interface OutboxStore {
  /** Claims up to `limit` due intents at the front of their lines for `owner`, with a lease until `now + leaseMs`. */
  claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedRow[]>;
  /** Gives claimed intents back, due now (the dispatcher is stopping). */
  unclaim(ids: string[], owner: string, now: Date): Promise<void>;
  /** When the next claim could find something: in the past when one is claimable now; null when nothing waits. */
  nextClaimableAt(): Promise<Date | null>;
  /** Consent, reach, stopped care, marketing deferrals and SMS facts for the batch's recipients, on the channels with a sender. */
  recipientFacts(rows: ClaimedRow[], channels: ChannelName[], now: Date): Promise<RecipientFacts>;
  /** Runs `work` in one transaction: all of its changes commit together or not at all. */
  transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
}

/** The guarded changes of claimed intents, inside a transaction; each returns whether it applied. */
export interface OutboxTransaction {
  /** Holds it until `until` (quiet hours, the cap, no channel yet): it steps out of its line meanwhile, no attempt counted. */
  snooze(guard: LeaseGuard, until: Date, reason: string): Promise<boolean>;
  /** Waits for its rate-limit turn at the front of `lane`; returns the waits since its last attempt (null: not applied). */
  pace(guard: LeaseGuard, wait: { lane: string; until: Date; now: Date; reason: string }): Promise<number | null>;
  /** Lets go of it, due now, in `lane`: another message of its chat goes first. */
  release(guard: LeaseGuard, lane: string, now: Date): Promise<boolean>;
  /** Ends it without sending. */
  finish(guard: LeaseGuard, state: EndState, reason: string): Promise<boolean>;
  /**
   * Marks the batch's sends `SENDING` (one attempt more each, a lease until `now + leaseMs`),
   * except those held up in their line by an intent outside the batch; returns the ids it marked.
   */
  markSendingMany(owner: string, now: Date, leaseMs: number, items: SendingItem[]): Promise<Set<string>>;
  /** Records deliveries with the platforms' message ids; returns the ids it applied to. */
  markSentMany(owner: string, now: Date, items: { id: string; providerMessageId: string }[]): Promise<Set<string>>;
  /** Schedules another attempt at `at`. */
  markRetry(guard: LeaseGuard, at: Date, error: string): Promise<boolean>;
  /** No channel of ours may push it: the customer's consultant gets a task with the text and `reason`; returns the task id. */
  handOver(row: ClaimedRow, now: Date, reason: string): Promise<string>;
  /** The platform said this chat blocked us: planning skips it from now on. */
  markChatBlocked(channel: ChannelName, address: string, now: Date): Promise<void>;
  /** Raises an alert for the store's admins. */
  raiseAlert(alert: { storeId: string; kind: AlertKind; message: string; intentId?: string; now: Date; announce?: boolean }): Promise<void>;
}
