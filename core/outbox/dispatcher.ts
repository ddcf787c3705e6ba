import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { consentsInForce } from '../consent/consent-status.ts';
import { WorkLoop } from '../scheduler/work-loop.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { ChannelName, OutboundMessage } from '../messages.ts';
import { ALERT_NOTICE_KIND, raiseAlert } from './alerts.ts';
import type { ChannelSender, Envelope, SendOutcome } from './channel-port.ts';
import { claimDueIntents } from './claim-intents.ts';
import { careStoppedCustomers, customerReach, markChatBlocked, staffReach } from './reach.ts';
import { RecipientOrder } from './recipient-order.ts';
import { handOverToConsultant } from './hand-over.ts';
import { finish, markRetry, markSendingMany, markSent, markSentMany, snooze } from './intent-transitions.ts';
import { marketingDeferrals } from './marketing-cap.ts';
import { planIntent, type Plan, type PlanContext } from './plan-intent.ts';
import { RateLimiter } from './rate-limiter.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';

/** Points in a dispatch where a crash is interesting; the crash test kills the process there. */
export type DispatchPoint = 'after-claim' | 'after-sending' | 'during-call' | 'after-answer';

export interface DispatcherOptions {
  db: Database;
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

type Row = Awaited<ReturnType<typeof loadClaimed>>[number];
interface Send { row: Row; sender: ChannelSender; envelope: Envelope }

async function loadClaimed(db: Database, ids: string[], owner: string) {
  return db.messageIntent.findMany({ where: { id: { in: ids }, leaseOwner: owner }, include: { store: true }, orderBy: [{ sendAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] });
}

/**
 * Sends due message intents through the channel adapters, once each, through crashes and
 * outages. Per batch: claim with a lease (one UPDATE) → plan each intent (expiry, consent,
 * quiet hours, reach, rate limits) → commit `SENDING` → call the channels (no transaction
 * open) → commit the outcomes. Never holds a transaction across a network call.
 */
export class Dispatcher {
  readonly owner: string;
  readonly #o: Required<Omit<DispatcherOptions, 'onPoint' | 'owner'>> & Pick<DispatcherOptions, 'onPoint'>;
  readonly #senders: Map<ChannelName, ChannelSender>;
  readonly #order: RecipientOrder;
  readonly #loop: WorkLoop;

  constructor(options: DispatcherOptions) {
    this.owner = options.owner ?? `dispatcher-${randomUUID()}`;
    this.#o = {
      batchSize: 50, leaseMs: 60_000, pollIntervalMs: 1_000, sendTimeoutMs: 15_000, retry: DEFAULT_RETRY_POLICY,
      limiter: new RateLimiter(), random: Math.random, ...options,
    };
    this.#senders = new Map(options.senders.map((s) => [s.channel, s]));
    this.#order = new RecipientOrder(this.#o.leaseMs);
    this.#loop = new WorkLoop({ round: async () => (await this.runOnce()) >= this.#o.batchSize, idleMs: this.#o.pollIntervalMs, logger: this.#o.logger, failure: 'dispatch failed; retrying on the next tick' });
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

  /** Claims and handles one batch; returns how many intents it claimed. */
  async runOnce(): Promise<number> {
    const { db, clock, leaseMs, batchSize } = this.#o;
    const ids = await claimDueIntents(db, this.owner, clock.now(), leaseMs, batchSize);
    if (ids.length === 0) return 0;
    this.#o.onPoint?.('after-claim');
    const rows = await loadClaimed(db, ids, this.owner);
    if (this.#loop.stopping) {
      await db.messageIntent.updateMany({ where: { id: { in: ids }, leaseOwner: this.owner }, data: { leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: clock.now() } });
      return ids.length;
    }
    const sends = await this.#commitPlans(rows);
    this.#o.onPoint?.('after-sending');
    const outcomes = await this.#sendAll(sends);
    this.#o.onPoint?.('after-answer');
    await this.#commitOutcomes(outcomes);
    return ids.length;
  }

  async #planContext(rows: Row[], now: Date): Promise<PlanContext> {
    const { db } = this.#o;
    const customerIds = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
    const staffIds = [...new Set(rows.flatMap((r) => (r.staffId ? [r.staffId] : [])))];
    const channels = [...this.#senders.keys()];
    const senders = new Map([...this.#senders].map(([channel, s]) => [channel, { resendIsSafe: s.resendIsSafe, canPush: s.canPush }]));
    const [reachable, staffReachable, careStopped, consents, deferred] = await Promise.all([
      customerReach(db, customerIds, channels), staffReach(db, staffIds, channels), careStoppedCustomers(db, customerIds),
      consentsInForce(db, customerIds), marketingDeferrals(db, rows, now),
    ]);
    return { now, consents, reachable, staffReachable, careStopped, senders, deferred };
  }

  /** Plans every claimed intent, applies rate limits, and commits the plans in one transaction. */
  async #commitPlans(rows: Row[]): Promise<Send[]> {
    const now = this.#o.clock.now();
    const ctx = await this.#planContext(rows, now);
    const inBatch = new Set<string>();
    const planned = rows.map((row) => {
      const plan = planIntent(
        { ...row, store: { timeZone: row.store.timeZone, customerHours: { start: row.store.customerHoursStart, end: row.store.customerHoursEnd }, staffHours: { start: row.store.staffHoursStart, end: row.store.staffHoursEnd } } },
        ctx,
      );
      if (plan.action !== 'send') this.#order.forget(row.id);
      return { row, plan: plan.action === 'send' ? this.#rateLimited(row, plan, now, inBatch) : plan };
    });
    return this.#o.db.$transaction(async (tx) => {
      const toSend: { row: Row; channel: ChannelName; address: string }[] = [];
      for (const { row, plan } of planned) {
        const guard = { id: row.id, owner: this.owner };
        switch (plan.action) {
          case 'send':
            toSend.push({ row, channel: plan.channel, address: plan.address });
            break;
          case 'snooze':
            await snooze(tx, guard, plan.until, plan.reason);
            break;
          case 'expire':
            await finish(tx, guard, 'EXPIRED', plan.reason);
            break;
          case 'cancel':
            await finish(tx, guard, 'CANCELLED', plan.reason);
            break;
          case 'hand-over':
            await markSent(tx, guard, now, `staff-task:${await handOverToConsultant(tx, row, now)}`);
            break;
          case 'dead':
          case 'unknown':
            if (await finish(tx, guard, plan.action === 'dead' ? 'DEAD' : 'UNKNOWN', plan.reason)) {
              await raiseAlert(tx, { storeId: row.storeId, kind: plan.action === 'dead' ? 'intent_dead' : 'intent_unknown', message: `${row.kind} (${row.dedupeKey}): ${plan.reason}`, intentId: row.id, now, announce: row.kind !== ALERT_NOTICE_KIND });
            }
            break;
          default:
            plan satisfies never;
        }
      }
      const marked = await markSendingMany(tx, this.owner, now, this.#o.leaseMs, toSend.map(({ row, channel, address }) => ({ id: row.id, channel, address })));
      return toSend
        .filter(({ row }) => marked.has(row.id))
        .map(({ row, channel, address }) => ({ row, sender: this.#senders.get(channel) as ChannelSender, envelope: this.#envelope(row, channel, address) }));
    });
  }

  /**
   * At most one message per recipient goes out per batch: the later ones wait for the next
   * batch, after the first one's outcome is committed, so a crash never leaves a queue of
   * never-sent messages looking ambiguous. A message goes now if no earlier one to the same
   * recipient is waiting (RecipientOrder) and every bucket has a token; otherwise it is held in
   * its place in line until about when its turn and a token should come, so a backlog is
   * neither re-planned on every tick nor reordered.
   */
  #rateLimited(row: Row, plan: Extract<Plan, { action: 'send' }>, now: Date, inBatch: Set<string>): Plan {
    const limits = (this.#senders.get(plan.channel) as ChannelSender).rateLimits(this.#envelope(row, plan.channel, plan.address));
    const recipient = `${plan.channel}:${plan.address}`;
    const nowMs = now.getTime();
    // One message per recipient per batch: a crash mid-batch strands at most one of theirs.
    const standing = inBatch.has(recipient) ? { first: false as const, ahead: 1, lastSlotMs: nowMs } : this.#order.standing(recipient, row.id, nowMs);
    inBatch.add(recipient);
    let slotMs: number;
    if (standing.first) {
      const waitMs = this.#o.limiter.tryTake(limits, nowMs);
      if (waitMs === 0) {
        this.#order.leave(recipient, row.id);
        return plan;
      }
      slotMs = nowMs + waitMs;
    } else {
      // Behind others: after the last of them, by the slowest bucket's pace per message.
      const gapMs = Math.max(1, ...limits.map((l) => Math.ceil(l.perMs / l.capacity)));
      slotMs = Math.max(standing.lastSlotMs + gapMs, nowMs + this.#o.limiter.waitMs(limits, nowMs) + 1);
    }
    this.#order.wait(recipient, row.id, slotMs);
    return { action: 'snooze', until: new Date(slotMs), reason: standing.first ? 'rate limit' : 'queued behind an earlier message to the same recipient' };
  }

  #envelope(row: Row, channel: ChannelName, address: string): Envelope {
    return { intentId: row.id, dedupeKey: row.dedupeKey, channel, address, message: JSON.parse(row.payload) as OutboundMessage, attempt: row.attempts + 1 };
  }

  /** Sends concurrently: the batch holds at most one message per recipient. */
  #sendAll(sends: Send[]): Promise<{ send: Send; outcome: SendOutcome }[]> {
    return Promise.all(sends.map(async (send) => ({ send, outcome: await this.#sendOne(send) })));
  }

  async #sendOne({ sender, envelope }: Send): Promise<SendOutcome> {
    try {
      const pending = sender.send(envelope, AbortSignal.timeout(this.#o.sendTimeoutMs));
      this.#o.onPoint?.('during-call');
      return await pending;
    } catch (error) {
      return { status: 'ambiguous', error: `adapter threw: ${(error as Error).message}` };
    }
  }

  /** Commits what the channels answered, with alerts for the dead and the unknown. */
  async #commitOutcomes(outcomes: { send: Send; outcome: SendOutcome }[]): Promise<void> {
    if (outcomes.length === 0) return;
    const now = this.#o.clock.now();
    await this.#o.db.$transaction(async (tx) => {
      // Every plain success in one statement; the rarer outcomes one by one below.
      await markSentMany(tx, this.owner, now, outcomes.flatMap(({ send, outcome }) => (outcome.status === 'sent' ? [{ id: send.row.id, providerMessageId: outcome.providerMessageId }] : [])));
      for (const { send, outcome } of outcomes) {
        const { row, sender } = send;
        const guard = { id: row.id, owner: this.owner };
        const attempts = row.attempts + 1;
        const alert = async (kind: 'intent_dead' | 'intent_unknown', state: 'DEAD' | 'UNKNOWN', reason: string) => {
          if (await finish(tx, guard, state, reason)) {
            await raiseAlert(tx, { storeId: row.storeId, kind, message: `${row.kind} (${row.dedupeKey}): ${reason}`, intentId: row.id, now, announce: row.kind !== ALERT_NOTICE_KIND });
          }
        };
        const retry = async (error: string, retryAfterMs?: number) => {
          if (attempts >= this.#o.retry.maxAttempts) return alert('intent_dead', 'DEAD', `gave up after ${attempts} attempts: ${error}`);
          await markRetry(tx, guard, new Date(now.getTime() + retryDelayMs(this.#o.retry, attempts, retryAfterMs, this.#o.random)), error);
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
            if (await finish(tx, guard, 'DEAD', `recipient blocked or left: ${outcome.error}`)) await markChatBlocked(tx, send.envelope.channel, send.envelope.address, now);
            break;
          default:
            outcome satisfies never;
        }
      }
    });
  }
}
