import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { WorkLoop } from '../scheduler/work-loop.ts';
import type { Logger } from '../logger.ts';
import type { ChannelName, OutboundMessage } from '../messages.ts';
import { ALERT_NOTICE_KIND } from './alerts.ts';
import type { ChannelSender, Envelope, SendOutcome } from './channel-port.ts';
import { firstInLine, type LinePlace } from './front-of-line.ts';
import { laneOf } from './lane.ts';
import type { ClaimedRow, LeaseGuard, OutboxStore, OutboxTransaction } from './outbox-store.ts';
import { planBatch, type ClaimedIntent, type Plan, type PlanContext } from './plan-intent.ts';
import { chatWindows, unattendedChats } from './reach.ts';
import { RateLimiter, type RateLimit } from './rate-limiter.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';

/** Points in a dispatch where a crash is interesting; the crash test kills the process there. */
export type DispatchPoint = 'after-claim' | 'after-sending' | 'during-call' | 'after-answer';

export interface DispatcherOptions {
  /** Where the intents are kept: `sqlOutboxStore(db)` in the application. */
  store: OutboxStore;
  clock: Clock;
  logger: Logger;
  senders: ChannelSender[];
  /** Lease owner name; unique per process. */
  owner?: string;
  batchSize?: number;
  /** How long a claim or a send may take before another dispatcher treats it as interrupted. */
  leaseMs?: number;
  pollIntervalMs?: number;
  sendTimeoutMs?: number;
  retry?: RetryPolicy;
  limiter?: RateLimiter;
  random?: () => number;
  onPoint?: (point: DispatchPoint) => void;
}

/**
 * Rate-limit waits without an attempt after which a message is reported as stalled. A message
 * at the front of its line waits for its booked turn once; this many means something is wrong.
 */
export const STALL_PACE_WAITS = 10;

/** The shortest pause between rounds when nothing was claimable (a guard against spinning). */
const MIN_IDLE_MS = 5;

type Row = ClaimedRow;
interface Send { row: Row; sender: ChannelSender; envelope: Envelope; limits: RateLimit[] }
/** A message planned to go: its envelope and rate limits worked out once. */
interface Candidate extends Send { channel: ChannelName; address: string; lane: string }

const place = ({ row, lane }: Candidate): LinePlace => ({ id: row.id, lane, sendAt: row.sendAt, enqueueSeq: row.enqueueSeq, interrupted: row.state === 'SENDING' });

function toClaimedIntent(row: Row): ClaimedIntent {
  const { store } = row;
  return { ...row, store: { timeZone: store.timeZone, customerHours: { start: store.customerHoursStart, end: store.customerHoursEnd }, staffHours: { start: store.staffHoursStart, end: store.staffHoursEnd } } };
}

/**
 * Sends due message intents through the channel adapters, once each, through crashes and
 * outages. Per batch: claim with a lease (one UPDATE; only the front of each chat's line) →
 * plan each intent (expiry, consent, quiet hours, reach, line, rate limits) → commit `SENDING`
 * → call the channels (no transaction open) → commit the outcomes. Never holds a transaction
 * across a network call.
 *
 * Liveness: a chat's line sends one message at a time, in the order they became due; the
 * front one goes at its booked rate-limit turn, and the loop sleeps exactly until the next
 * intent can be claimed (or is woken by `poke`). So, with the platform answering, a message
 * goes out within the pacing of the messages ahead of it plus a round or two of database work.
 */
export class Dispatcher {
  readonly owner: string;
  readonly #o: Required<Omit<DispatcherOptions, 'onPoint' | 'owner'>> & Pick<DispatcherOptions, 'onPoint'>;
  readonly #senders: Map<ChannelName, ChannelSender>;
  readonly #loop: WorkLoop;

  constructor(options: DispatcherOptions) {
    this.owner = options.owner ?? `dispatcher-${randomUUID()}`;
    this.#o = {
      batchSize: 50, leaseMs: 60_000, pollIntervalMs: 1_000, sendTimeoutMs: 15_000, retry: DEFAULT_RETRY_POLICY,
      limiter: new RateLimiter(), random: Math.random, ...options,
    };
    this.#senders = new Map(options.senders.map((s) => [s.channel, s]));
    this.#loop = new WorkLoop({ round: () => this.#round(), idleMs: this.#o.pollIntervalMs, logger: this.#o.logger, failure: 'dispatch failed; retrying on the next tick' });
  }

  /** Starts polling for due intents in the background. */
  start(): void {
    this.#loop.start();
  }

  /** Wakes the loop now (e.g. after enqueuing something due at once). */
  poke(): void {
    this.#loop.wake();
  }

  /** Stops claiming; waits up to `timeoutMs` for the batch in flight to finish. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.#loop.stop(timeoutMs);
  }

  /**
   * How long to wait before the next round: none after a round that claimed something (its
   * sends may have freed the next message of a line), else until the next claimable intent.
   */
  async #round(): Promise<number> {
    if ((await this.runOnce()) > 0) return 0;
    const next = await this.nextClaimableAt();
    return next === null ? Number.POSITIVE_INFINITY : Math.max(MIN_IDLE_MS, next.getTime() - this.#o.clock.now().getTime());
  }

  /** When the next claim could find something (see `nextClaimableAt`); for simulations that drive `runOnce`. */
  nextClaimableAt(): Promise<Date | null> {
    return this.#o.store.nextClaimableAt();
  }

  /** Claims and handles one batch; returns how many intents it claimed. */
  async runOnce(): Promise<number> {
    const { store, clock, leaseMs, batchSize } = this.#o;
    this.#o.limiter.forgetStale(clock.now().getTime(), leaseMs);
    const rows = await store.claim(this.owner, clock.now(), leaseMs, batchSize);
    if (rows.length === 0) return 0;
    this.#o.onPoint?.('after-claim');
    if (this.#loop.stopping) {
      await store.unclaim(rows.map((r) => r.id), this.owner, clock.now());
      return rows.length;
    }
    const sends = await this.#commitPlans(rows);
    this.#o.onPoint?.('after-sending');
    const outcomes = await this.#sendAll(sends);
    this.#o.onPoint?.('after-answer');
    await this.#commitOutcomes(outcomes);
    return rows.length;
  }

  #guard(row: Row): LeaseGuard {
    return { id: row.id, owner: this.owner };
  }

  async #planContext(rows: Row[], now: Date): Promise<PlanContext> {
    const senders = new Map([...this.#senders].map(([channel, s]) => [channel, {
      resendIsSafe: s.resendIsSafe, canPush: s.canPush, ...(s.addressRefusal ? { addressRefusal: s.addressRefusal.bind(s) } : {}),
    }]));
    const facts = await this.#o.store.recipientFacts(rows, [...this.#senders.keys()], now);
    const targets = [...rows.flatMap((r) => (r.channel && r.address ? [{ channel: r.channel, address: r.address }] : [])), ...facts.reachable.values()];
    const [chatReach, unattended] = await Promise.all([chatWindows(this.#senders, targets, now), unattendedChats(this.#senders, targets, now)]);
    return { now, ...facts, senders, chatReach, unattended };
  }

  /**
   * Plans every claimed intent and commits the plans in one transaction: holds and ends first,
   * then the sends, each only at the front of its chat's line (`firstInLine` within the batch,
   * `markSendingMany` against the rest) and with its rate-limit turn booked; a send whose turn is
   * later waits for it in its place (`pace`).
   */
  async #commitPlans(rows: Row[]): Promise<Send[]> {
    const now = this.#o.clock.now();
    const ctx = await this.#planContext(rows, now);
    const plans = planBatch(rows.map(toClaimedIntent), ctx);
    const planned = rows.map((row, i) => ({ row, plan: plans[i] as Plan }));
    return this.#o.store.transaction(async (tx) => {
      const candidates: Candidate[] = [];
      for (const { row, plan } of planned) {
        if (plan.action === 'send') candidates.push(this.#candidate(row, plan.channel, plan.address));
        else await this.#commitOtherPlan(tx, row, plan, now);
      }
      const first = firstInLine(candidates.map(place));
      const toSend: Candidate[] = [];
      for (const candidate of candidates) {
        if (!first.has(candidate.row.id)) await this.#letGo(tx, candidate, now);
        else if (await this.#takeTurn(tx, candidate, now)) toSend.push(candidate);
      }
      const marked = await tx.markSendingMany(this.owner, now, this.#o.leaseMs, toSend.map(({ row, channel, address, lane }) => ({ id: row.id, channel, address, lane })));
      // Held up by a message outside the batch (routed into the line meanwhile, or being sent elsewhere): it waits its turn.
      for (const candidate of toSend) if (!marked.has(candidate.row.id)) await this.#letGo(tx, candidate, now);
      return toSend.filter(({ row }) => marked.has(row.id));
    });
  }

  #candidate(row: Row, channel: ChannelName, address: string): Candidate {
    const sender = this.#senders.get(channel) as ChannelSender;
    const envelope = this.#envelope(row, channel, address);
    return { row, channel, address, lane: laneOf(channel, address), sender, envelope, limits: sender.rateLimits(envelope) };
  }

  /** Another message of its chat goes first: it waits in the line, due now, without a claim or a booked turn. */
  async #letGo(tx: OutboxTransaction, candidate: Candidate, now: Date): Promise<void> {
    this.#o.limiter.forget(candidate.row.id);
    await tx.release(this.#guard(candidate.row), candidate.lane, now);
  }

  /** Commits a plan other than a send: a hold, an end, a hand-over to the consultant. */
  async #commitOtherPlan(tx: OutboxTransaction, row: Row, plan: Exclude<Plan, { action: 'send' }>, now: Date): Promise<void> {
    this.#o.limiter.forget(row.id);
    const guard = this.#guard(row);
    switch (plan.action) {
      case 'snooze':
        await tx.snooze(guard, plan.until, plan.reason);
        break;
      case 'expire':
        await tx.finish(guard, 'EXPIRED', plan.reason);
        break;
      case 'cancel':
        await tx.finish(guard, 'CANCELLED', plan.reason);
        break;
      case 'hand-over':
        await this.#handOver(tx, row, now, plan.reason);
        break;
      case 'dead':
      case 'unknown':
        if (await tx.finish(guard, plan.action === 'dead' ? 'DEAD' : 'UNKNOWN', plan.reason)) {
          await tx.raiseAlert({ storeId: row.storeId, kind: plan.action === 'dead' ? 'intent_dead' : 'intent_unknown', message: `${row.kind} (${row.dedupeKey}): ${plan.reason}`, intentId: row.id, now, announce: row.kind !== ALERT_NOTICE_KIND });
        }
        break;
      default:
        plan satisfies never;
    }
  }

  /**
   * The rate limits' say for the message at the front of its line: true when it may go now;
   * otherwise its turn is booked and it waits for it in its place. A message that keeps waiting
   * without ever being tried raises an alert once, so a stall is seen by admins, not customers.
   */
  async #takeTurn(tx: OutboxTransaction, candidate: Candidate, now: Date): Promise<boolean> {
    const { row, lane, limits } = candidate;
    const waitMs = this.#o.limiter.turn(row.id, limits, now.getTime());
    if (waitMs === 0) return true;
    const waits = await tx.pace(this.#guard(row), { lane, until: new Date(now.getTime() + waitMs), now, reason: 'waiting for its turn under the platform\'s rate limit' });
    if (waits === STALL_PACE_WAITS) {
      await tx.raiseAlert({ storeId: row.storeId, kind: 'intent_stalled', message: `${row.kind} (${row.dedupeKey}): waited ${waits} times for a rate limit without being tried`, intentId: row.id, now, announce: row.kind !== ALERT_NOTICE_KIND });
    }
    return false;
  }

  /** Hands the message to the customer's consultant as a task; the intent is done, with the task as its delivery. */
  async #handOver(tx: OutboxTransaction, row: Row, now: Date, reason: string): Promise<void> {
    await tx.markSentMany(this.owner, now, [{ id: row.id, providerMessageId: `staff-task:${await tx.handOver(row, now, reason)}` }]);
  }

  #envelope(row: Row, channel: ChannelName, address: string): Envelope {
    return { intentId: row.id, dedupeKey: row.dedupeKey, channel, address, message: JSON.parse(row.payload) as OutboundMessage, attempt: row.attempts + 1 };
  }

  /** Sends concurrently: the batch holds at most one message per recipient. */
  #sendAll(sends: Send[]): Promise<{ send: Send; outcome: SendOutcome }[]> {
    return Promise.all(sends.map(async (send) => ({ send, outcome: await this.#sendOne(send) })));
  }

  async #sendOne({ sender, envelope, limits }: Send): Promise<SendOutcome> {
    try {
      const pending = sender.send(envelope, AbortSignal.timeout(this.#o.sendTimeoutMs));
      this.#o.onPoint?.('during-call');
      return await pending;
    } catch (error) {
      return { status: 'ambiguous', error: `adapter threw: ${(error as Error).message}` };
    } finally {
      this.#o.limiter.completed(limits, this.#o.clock.now().getTime());
    }
  }

  /** Commits what the channels answered, with alerts for the dead and the unknown. */
  async #commitOutcomes(outcomes: { send: Send; outcome: SendOutcome }[]): Promise<void> {
    if (outcomes.length === 0) return;
    const now = this.#o.clock.now();
    await this.#o.store.transaction(async (tx) => {
      // Every plain success in one statement; the rarer outcomes one by one below.
      await tx.markSentMany(this.owner, now, outcomes.flatMap(({ send, outcome }) => (outcome.status === 'sent' ? [{ id: send.row.id, providerMessageId: outcome.providerMessageId }] : [])));
      for (const { send, outcome } of outcomes) {
        const { row, sender } = send;
        const guard = this.#guard(row);
        const attempts = row.attempts + 1;
        const alert = async (kind: 'intent_dead' | 'intent_unknown', state: 'DEAD' | 'UNKNOWN', reason: string) => {
          if (await tx.finish(guard, state, reason)) {
            await tx.raiseAlert({ storeId: row.storeId, kind, message: `${row.kind} (${row.dedupeKey}): ${reason}`, intentId: row.id, now, announce: row.kind !== ALERT_NOTICE_KIND });
          }
        };
        const retry = async (error: string, retryAfterMs?: number) => {
          if (attempts >= this.#o.retry.maxAttempts) return alert('intent_dead', 'DEAD', `gave up after ${attempts} attempts: ${error}`);
          await tx.markRetry(guard, new Date(now.getTime() + retryDelayMs(this.#o.retry, attempts, retryAfterMs, this.#o.random)), error);
        };
        switch (outcome.status) {
          case 'sent':
            break; // recorded above, with the batch
          case 'retry':
            await retry(outcome.error, outcome.retryAfterMs);
            break;
          case 'ambiguous':
            if (sender.resendIsSafe) await retry(outcome.error);
            else await alert('intent_unknown', 'UNKNOWN', `no answer after the request left: ${outcome.error}`);
            break;
          case 'rejected':
            await alert('intent_dead', 'DEAD', `refused by ${sender.channel}: ${outcome.error}`);
            break;
          case 'blocked':
            if (await tx.finish(guard, 'DEAD', `recipient blocked or left: ${outcome.error}`)) await tx.markChatBlocked(send.envelope.channel, send.envelope.address, now);
            break;
          case 'window-closed':
            await this.#handOver(tx, row, now, `the ${sender.channel} chat's reply window is closed: ${outcome.error}`);
            break;
          default:
            outcome satisfies never;
        }
      }
    });
  }
}
