/**
 * The outbox kept in memory, for the dispatcher's model test: the same port and the same line
 * rule as `sqlOutboxStore`, in plain objects, so a simulation runs in about a millisecond
 * instead of a hundred. `memory-outbox-store.test.ts` runs random operations on both stores
 * and requires the same answers, so the model test's speed does not cost its truth.
 *
 * Recipients are simple: every customer has consent for everything, and is reached where
 * `reach` says; no store stops care or defers marketing; nobody is reached by SMS.
 */
import type { MessageIntent, Store } from '../../core/db/generated/client.ts';
import type { ChannelName } from '../../core/messages.ts';
import { nextEnqueueSeq } from '../../core/outbox/enqueue-seq.ts';
import type { NewIntent } from '../../core/outbox/enqueue-intent.ts';
import { comesBefore } from '../../core/outbox/front-of-line.ts';
import { laneOf } from '../../core/outbox/lane.ts';
import { noSmsFacts } from '../../core/outbox/sms-facts.ts';
import type { ClaimedRow, LeaseGuard, OutboxStore, OutboxTransaction, RecipientFacts } from '../../core/outbox/outbox-store.ts';

const ACTIVE = new Set(['PENDING', 'SENDING', 'FAILED_RETRYING']);
const RELEASED = { leaseOwner: null, leaseExpiresAt: null } as const;
const FINAL = { ...RELEASED, nextAttemptAt: null, lane: null } as const;

/** Whether `e` holds up `x` in the line `lane` (`holdsUp` in front-of-line.ts, in memory). */
function holdsUp(e: MessageIntent, x: MessageIntent, lane: string | null = x.lane): boolean {
  return lane !== null && e.lane === lane && e.id !== x.id && ACTIVE.has(e.state) && (e.state === 'SENDING' || comesBefore(e, x));
}

/** The claim's order: due first, then created first, then by id. */
function claimOrder(a: MessageIntent, b: MessageIntent): number {
  return (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class MemoryOutboxStore implements OutboxStore {
  rows = new Map<string, MessageIntent>();
  readonly alerts: { kind: string; message: string; intentId?: string }[] = [];
  readonly tasks: { id: string; intentId: string }[] = [];
  /** Where each customer is reached. */
  readonly reach = new Map<string, { channel: ChannelName; address: string }>();
  #ids = 0;

  constructor(readonly store: Store) {}

  /** Adds an intent as `enqueueIntent` does (a key already there is left as it is); its id and creation order may be given. */
  add(intent: NewIntent, createdAt: Date, given: { id?: string; enqueueSeq?: bigint } = {}): MessageIntent | null {
    if ([...this.rows.values()].some((r) => r.dedupeKey === intent.dedupeKey)) return null;
    const row: MessageIntent = {
      id: given.id ?? `m${String((this.#ids += 1)).padStart(8, '0')}`, dedupeKey: intent.dedupeKey, storeId: intent.storeId, customerId: intent.customerId ?? null, staffId: intent.staffId ?? null,
      channel: intent.channel ?? null, address: intent.address ?? null, purpose: intent.purpose, kind: intent.kind,
      payload: JSON.stringify(intent.message), variables: intent.variables ? JSON.stringify(intent.variables) : null, deliveryStatus: null, deliveryCode: null, deliveryAt: null, sendAt: intent.sendAt, enqueueSeq: given.enqueueSeq ?? nextEnqueueSeq(),
      lane: intent.channel && intent.address ? laneOf(intent.channel, intent.address) : null, paceWaits: 0,
      expiresAt: intent.expiresAt, state: 'PENDING', attempts: 0, nextAttemptAt: intent.sendAt, leaseOwner: null, leaseExpiresAt: null,
      providerMessageId: null, lastError: null, sentAt: null, priority: intent.priority ?? 0, createdAt, updatedAt: createdAt,
    };
    this.rows.set(row.id, row);
    return row;
  }

  /** `cancelWaitingIntents` for one intent. */
  cancel(id: string, reason: string): boolean {
    const row = this.rows.get(id);
    if (!row || (row.state !== 'PENDING' && row.state !== 'FAILED_RETRYING')) return false;
    Object.assign(row, FINAL, { state: 'CANCELLED', lastError: reason });
    return true;
  }

  #frontOfLine(row: MessageIntent): boolean {
    if (row.state === 'SENDING') return true;
    for (const e of this.rows.values()) if (holdsUp(e, row)) return false;
    return true;
  }

  #claimable(): MessageIntent[] {
    return [...this.rows.values()].filter((r) => r.nextAttemptAt !== null && this.#frontOfLine(r)).sort(claimOrder);
  }

  async claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedRow[]> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const taken = this.#claimable().filter((r) => (r.nextAttemptAt as Date) <= now).slice(0, limit);
    for (const row of taken) Object.assign(row, { leaseOwner: owner, leaseExpiresAt: leaseUntil, nextAttemptAt: leaseUntil, updatedAt: now });
    return taken.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).map((row) => ({ ...row, store: this.store }));
  }

  async unclaim(ids: string[], owner: string, now: Date): Promise<void> {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row?.leaseOwner === owner) Object.assign(row, RELEASED, { nextAttemptAt: now });
    }
  }

  async nextClaimableAt(): Promise<Date | null> {
    return this.#claimable()[0]?.nextAttemptAt ?? null;
  }

  async recipientFacts(rows: ClaimedRow[], channels: ChannelName[]): Promise<RecipientFacts> {
    const customers = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
    return {
      consents: new Map(customers.flatMap((id) => [[`${id}:SERVICE`, true], [`${id}:MARKETING`, true]] as const)),
      reachable: new Map(customers.flatMap((id) => {
        const target = this.reach.get(id);
        return target && channels.includes(target.channel) ? [[id, target] as const] : [];
      })),
      staffReachable: new Map(), careStopped: new Set(), deferred: new Map(), sms: noSmsFacts(),
    };
  }

  /** Changes made by `work` are undone if it throws, like a rolled-back transaction. */
  async transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    const before = new Map([...this.rows].map(([id, row]) => [id, { ...row }]));
    const [alerts, tasks] = [this.alerts.length, this.tasks.length];
    try {
      return await work(this.#transaction());
    } catch (error) {
      this.rows = before;
      this.alerts.length = alerts;
      this.tasks.length = tasks;
      throw error;
    }
  }

  #apply(guard: LeaseGuard, change: Partial<MessageIntent>): MessageIntent | null {
    const row = this.rows.get(guard.id);
    if (row?.leaseOwner !== guard.owner) return null;
    return Object.assign(row, change);
  }

  #transaction(): OutboxTransaction {
    return {
      snooze: async (guard, until, reason) => this.#apply(guard, { ...RELEASED, sendAt: until, nextAttemptAt: until, lastError: reason }) !== null,
      pace: async (guard, { lane, until, now, reason }) => {
        const row = this.rows.get(guard.id);
        if (row?.leaseOwner !== guard.owner) return null;
        return Object.assign(row, RELEASED, { nextAttemptAt: until, lane, paceWaits: row.paceWaits + 1, lastError: reason, updatedAt: now }).paceWaits;
      },
      release: async (guard, lane, now) => this.#apply(guard, { ...RELEASED, nextAttemptAt: now, lane }) !== null,
      finish: async (guard, state, reason) => this.#apply(guard, { ...FINAL, state, lastError: reason }) !== null,
      markSendingMany: async (owner, now, leaseMs, items) => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        const outside = [...this.rows.values()].filter((e) => e.leaseOwner !== owner);
        const marked = items.filter(({ id, lane }) => {
          const row = this.rows.get(id);
          return row?.leaseOwner === owner && (row.state === 'SENDING' || !outside.some((e) => holdsUp(e, row, lane)));
        });
        for (const { id, channel, address, lane } of marked) {
          const row = this.rows.get(id) as MessageIntent;
          Object.assign(row, { state: 'SENDING', attempts: row.attempts + 1, leaseExpiresAt: leaseUntil, nextAttemptAt: leaseUntil, channel, address, lane, paceWaits: 0, updatedAt: now });
        }
        return new Set(marked.map((m) => m.id));
      },
      markSentMany: async (owner, now, items) => {
        const applied = new Set<string>();
        for (const { id, providerMessageId } of items) {
          if (this.#apply({ id, owner }, { ...FINAL, state: 'SENT', sentAt: now, providerMessageId, lastError: null, updatedAt: now })) applied.add(id);
        }
        return applied;
      },
      markRetry: async (guard, at, error) => this.#apply(guard, { ...RELEASED, state: 'FAILED_RETRYING', nextAttemptAt: at, lastError: error }) !== null,
      handOver: async (row) => {
        const existing = this.tasks.find((t) => t.intentId === row.id);
        if (existing) return existing.id;
        const task = { id: `task-${this.tasks.length + 1}`, intentId: row.id };
        this.tasks.push(task);
        return task.id;
      },
      markChatBlocked: async (channel, address) => {
        for (const [customerId, target] of this.reach) if (target.channel === channel && target.address === address) this.reach.delete(customerId);
      },
      raiseAlert: async ({ kind, message, intentId }) => {
        this.alerts.push({ kind, message, ...(intentId ? { intentId } : {}) });
      },
    };
  }
}
