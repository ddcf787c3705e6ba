/**
 * Model-based test of the outbox dispatcher (fast-check): random arrivals of messages to a few
 * Telegram chats over simulated minutes — bursts of replies, scheduled messages due at other
 * times, messages cancelled or going stale while they wait, restarts that forget everything in
 * memory, two dispatchers taking turns, and sends the platform answers with a 5xx (retried) — run on the real dispatcher with a fake clock
 * and a fake channel that records when each message arrived, on two stores: thousands of runs on
 * the in-memory outbox (`MemoryOutboxStore`, checked against the SQL one by its own test), and a
 * hundred on a real database (the run's engine: SQLite or PostgreSQL) through `sqlOutboxStore`. After every run:
 *
 * - exactly once: every message is delivered once, or ended (cancelled, expired) and never delivered;
 * - order: each chat receives its messages in the order they became due, retries included
 *   (a message waiting to be retried holds up the later ones of its chat);
 * - limits: at least 1 s between two messages to one chat, at most 30 in any second overall;
 * - liveness: a message goes out within its chat's pacing of the messages ahead of it plus a
 *   constant: sentAt ≤ due + (messages to that chat still waiting when it became due + 1) × 1 s
 *   + RESTART_ALLOWANCE per restart while it waited, in chats whose sends all succeeded; nothing
 *   raises a stall alert.
 *
 * The simulation drives the dispatcher as its loop does: run rounds while they claim something,
 * then sleep until `nextClaimableAt()` or the next arrival. A failure prints fast-check's seed
 * and path (replay with MODEL_SEED / MODEL_PATH). MODEL_RUNS and MODEL_SQL_RUNS set the numbers
 * of runs on each store.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, type Clock } from '../../../core/clock.ts';
import type { MessageIntent } from '../../../core/db/generated/client.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import type { NewIntent } from '../../../core/outbox/enqueue-intent.ts';
import { cancelWaitingIntents } from '../../../core/outbox/intent-transitions.ts';
import type { OutboxStore } from '../../../core/outbox/outbox-store.ts';
import { telegramLimits } from '../../../core/outbox/platform-limits.ts';
import { RateLimiter } from '../../../core/outbox/rate-limiter.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { FakeSender } from '../../fakes/fake-sender.ts';
import { MemoryOutboxStore } from '../../fakes/memory-outbox-store.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';
import { testDatabaseDialect } from '../../helpers/test-database.ts';

const CHATS = 4;
const SECOND = 1000;
/** A restart's limiter waits one refill before its first send (it cannot know the last second). */
const RESTART_ALLOWANCE = SECOND;
/** Rounds of database work and the simulation's own step; sends are instant on the fake clock. */
const CONSTANT = 50;
const RUNS = Number(process.env.MODEL_RUNS ?? 3000);
const SQL_RUNS = Number(process.env.MODEL_SQL_RUNS ?? 100);
const START = new Date('2026-12-01T02:00:00Z');

type Step =
  | { kind: 'replies'; at: number; chat: number; parts: number }
  | { kind: 'scheduled'; at: number; chat: number; dueIn: number; staleIn: number }
  | { kind: 'cancel'; at: number; pick: number }
  | { kind: 'restart'; at: number }
  | { kind: 'switch'; at: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replies' as const), at: fc.integer({ min: 0, max: 20_000 }), chat: fc.integer({ min: 0, max: CHATS - 1 }), parts: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('scheduled' as const), at: fc.integer({ min: 0, max: 20_000 }), chat: fc.integer({ min: 0, max: CHATS - 1 }), dueIn: fc.integer({ min: 0, max: 10_000 }), staleIn: fc.integer({ min: 500, max: 60_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), at: fc.integer({ min: 0, max: 20_000 }), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), at: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('switch' as const), at: fc.integer({ min: 0, max: 20_000 }) }) },
);

/** One store for a run: what the simulation needs of it besides the dispatcher's port. */
interface Outbox {
  store: OutboxStore;
  clock: FixedClock;
  /** Empties it and puts the clock at START. */
  reset(): Promise<void>;
  /** Queues a message to chat `chat`: with its address (a reply) or to its customer (reach planned at send time). */
  queue(intent: Omit<NewIntent, 'storeId' | 'purpose' | 'kind' | 'message'> & { chat: number }, reply: boolean): Promise<void>;
  /** Cancels the `pick`-th waiting intent, if any. */
  cancel(pick: number): Promise<void>;
  intents(): Promise<MessageIntent[]>;
  alertKinds(): Promise<string[]>;
}

const byLine = (a: MessageIntent, b: MessageIntent) => a.sendAt.getTime() - b.sendAt.getTime() || (a.enqueueSeq < b.enqueueSeq ? -1 : a.enqueueSeq > b.enqueueSeq ? 1 : 0);
const waiting = (rows: MessageIntent[]) => rows.filter((r) => r.state === 'PENDING' || r.state === 'FAILED_RETRYING').sort((a, b) => (a.id < b.id ? -1 : 1));

async function sqlOutbox(t: TestCore): Promise<Outbox> {
  const db = t.ctx.db;
  const customers: string[] = [];
  for (let i = 0; i < CHATS; i += 1) {
    const customer = await db.customer.create({ data: { name: `客户${i}`, phone: `+8613900000${String(i).padStart(3, '0')}` } });
    await db.channelIdentity.create({ data: { customerId: customer.id, channel: 'TELEGRAM', externalId: `chat-${i}` } });
    await db.consentRecord.create({ data: { customerId: customer.id, purpose: 'SERVICE', granted: true, source: 'test', noticeVersion: 'test', recordedAt: t.clock.now() } });
    customers.push(customer.id);
  }
  return {
    store: sqlOutboxStore(db),
    clock: t.clock,
    async reset() {
      await db.alert.deleteMany();
      await db.messageIntent.deleteMany();
      t.clock.set(START);
    },
    async queue({ chat, ...intent }, reply) {
      await queueText(db, t.setup.storeId, intent.dedupeKey, intent.sendAt, reply
        ? { ...intent, purpose: 'REPLY', channel: 'TELEGRAM', address: `chat-${chat}` }
        : { ...intent, customerId: customers[chat] });
    },
    async cancel(pick) {
      const candidates = waiting(await db.messageIntent.findMany());
      const victim = candidates[pick % Math.max(1, candidates.length)];
      if (victim) await db.$transaction((tx) => cancelWaitingIntents(tx, { id: victim.id }, 'cancelled in the model'));
    },
    intents: () => db.messageIntent.findMany(),
    alertKinds: async () => (await db.alert.findMany()).map((a) => a.kind),
  };
}

async function memoryOutbox(t: TestCore): Promise<Outbox> {
  const storeRow = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
  const clock = new FixedClock(START);
  let memory = new MemoryOutboxStore(storeRow);
  const outbox: Outbox = {
    store: memory,
    clock,
    async reset() {
      memory = new MemoryOutboxStore(storeRow);
      for (let i = 0; i < CHATS; i += 1) memory.reach.set(`customer-${i}`, { channel: 'TELEGRAM', address: `chat-${i}` });
      outbox.store = memory;
      clock.set(START);
    },
    async queue({ chat, ...intent }, reply) {
      const common = { ...intent, storeId: t.setup.storeId, kind: 'test', message: { kind: 'text' as const, text: intent.dedupeKey } };
      memory.add(reply ? { ...common, purpose: 'REPLY', channel: 'TELEGRAM', address: `chat-${chat}` } : { ...common, purpose: 'SERVICE', customerId: `customer-${chat}` }, clock.now());
    },
    async cancel(pick) {
      const candidates = waiting([...memory.rows.values()]);
      const victim = candidates[pick % Math.max(1, candidates.length)];
      if (victim) memory.cancel(victim.id, 'cancelled in the model');
    },
    intents: async () => [...memory.rows.values()],
    alertKinds: async () => memory.alerts.map((a) => a.kind),
  };
  return outbox;
}

/** One simulated run; returns what the invariants need. */
async function simulate(outbox: Outbox, steps: Step[], failCalls: Set<number>) {
  await outbox.reset();
  const { clock } = outbox;
  const start = START.getTime();
  const sender = new FakeSender(clock as Clock, 'TELEGRAM');
  sender.limits = (envelope) => telegramLimits(envelope.address);
  const delivered: typeof sender.calls = [];
  const failedChats = new Set<string>();
  sender.answer = (envelope, call) => {
    if (failCalls.has(call)) {
      failedChats.add(envelope.address);
      return { status: 'retry', error: '502 Bad Gateway' };
    }
    delivered.push(sender.calls[call]!);
    return { status: 'sent', providerMessageId: `msg-${envelope.intentId}` };
  };
  // Two dispatchers in one process share its limiter, as two loops of one instance would.
  let limiter = new RateLimiter({ startedAtMs: start });
  const make = () => new Dispatcher({ store: outbox.store, clock, logger: silentLogger, senders: [sender], limiter, random: () => 0.5 });
  let dispatchers = [make(), make()];
  let active = 0;
  const restarts: number[] = [start]; // the first start is a start too: its buckets begin empty
  const queue = [...steps].sort((a, b) => a.at - b.at);
  let n = 0;
  for (let guard = 0; guard < 5_000; guard += 1) {
    const now = clock.now().getTime() - start;
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= now) {
      const step = queue.shift() as Step;
      if (step.kind === 'restart') {
        limiter = new RateLimiter({ startedAtMs: clock.now().getTime() });
        dispatchers = [make(), make()];
        restarts.push(clock.now().getTime());
      } else if (step.kind === 'switch') {
        active = 1 - active;
      } else {
        await arrive(outbox, step, (n += 1));
      }
    }
    for (let rounds = 0; rounds < 200 && (await dispatchers[active]!.runOnce()) > 0; rounds += 1) active = 1 - active;
    const next = await dispatchers[active]!.nextClaimableAt();
    const nextArrival = queue[0] ? start + queue[0].at : Number.POSITIVE_INFINITY;
    const wake = Math.min(next ? Math.max(next.getTime(), clock.now().getTime() + 1) : Number.POSITIVE_INFINITY, nextArrival);
    if (!Number.isFinite(wake)) break;
    clock.set(new Date(wake));
  }
  const intents = (await outbox.intents()).sort(byLine);
  return { delivered, failedChats, intents, alertKinds: await outbox.alertKinds(), restarts };
}

async function arrive(outbox: Outbox, step: Exclude<Step, { kind: 'restart' | 'switch' }>, n: number): Promise<void> {
  const now = outbox.clock.now();
  if (step.kind === 'replies') {
    for (let part = 0; part < step.parts; part += 1) {
      await outbox.queue({ dedupeKey: `reply:${n}:${part}`, chat: step.chat, sendAt: now, expiresAt: new Date(now.getTime() + 24 * 3600_000) }, true);
    }
  } else if (step.kind === 'scheduled') {
    const due = new Date(now.getTime() + step.dueIn);
    await outbox.queue({ dedupeKey: `scheduled:${n}`, chat: step.chat, sendAt: due, expiresAt: new Date(due.getTime() + step.staleIn) }, false);
  } else {
    await outbox.cancel(step.pick);
  }
}

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ STORE_CUSTOMER_HOURS: '00:00-00:00' });
});
afterAll(async () => {
  await t.close();
});

/** What a run broke of the model's rules, in words; empty when it kept them all. */
function violations(delivered: FakeSender['calls'], failedChats: Set<string>, intents: MessageIntent[], alertKinds: string[], restarts: number[]): string[] {
  const start = START.getTime();
  const broken: string[] = [];
  const sent = new Map(delivered.map((call) => [call.envelope.dedupeKey, call.at.getTime()]));
  // Exactly once; nothing ended is sent; nothing is left waiting.
  if (sent.size !== delivered.length) broken.push(`${delivered.length - sent.size} duplicate sends`);
  for (const intent of intents) {
    if (!/^(SENT|CANCELLED|EXPIRED)$/.test(intent.state)) broken.push(`${intent.dedupeKey} left ${intent.state}: ${intent.lastError ?? ''}`);
    if (sent.has(intent.dedupeKey) !== (intent.state === 'SENT')) broken.push(`${intent.dedupeKey} is ${intent.state} but ${sent.has(intent.dedupeKey) ? 'was' : 'was not'} sent`);
  }
  // Order per chat and the per-chat gap.
  const byChat = new Map<string, typeof delivered>();
  for (const call of delivered) byChat.set(call.envelope.address, [...(byChat.get(call.envelope.address) ?? []), call]);
  const place = new Map(intents.map((intent, index) => [intent.dedupeKey, index]));
  for (const [chat, calls] of byChat) {
    for (let i = 1; i < calls.length; i += 1) {
      const [before, after] = [calls[i - 1]!, calls[i]!];
      if ((place.get(after.envelope.dedupeKey) ?? -1) < (place.get(before.envelope.dedupeKey) ?? -1)) broken.push(`${chat}: ${after.envelope.dedupeKey} overtook ${before.envelope.dedupeKey}`);
      if (after.at.getTime() - before.at.getTime() < SECOND) broken.push(`${chat}: ${after.envelope.dedupeKey} ${after.at.getTime() - before.at.getTime()} ms after the one before`);
    }
  }
  // At most 30 in any second overall.
  const times = delivered.map((c) => c.at.getTime()).sort((a, b) => a - b);
  for (let i = 30; i < times.length; i += 1) if (times[i]! - times[i - 30]! < SECOND) broken.push(`31 sends within ${times[i]! - times[i - 30]!} ms at ${times[i]! - start}`);
  // Liveness within the bound; no stall alerts.
  for (const intent of intents.filter((i) => i.state === 'SENT' && !failedChats.has(i.address ?? ''))) {
    const due = intent.sendAt.getTime();
    const at = sent.get(intent.dedupeKey) ?? 0;
    const ahead = intents.filter((o) => o.address === intent.address && o.state === 'SENT' && place.get(o.dedupeKey)! < place.get(intent.dedupeKey)! && (sent.get(o.dedupeKey) ?? 0) >= due).length;
    const restartsWhileWaiting = restarts.filter((r) => r >= due && r <= at).length;
    const bound = due + (ahead + 1) * SECOND + restartsWhileWaiting * RESTART_ALLOWANCE + CONSTANT;
    if (at > bound) broken.push(`${intent.dedupeKey} due ${due - start}, sent ${at - start}, ${ahead} ahead: ${at - bound} ms late`);
  }
  broken.push(...alertKinds.filter((kind) => kind === 'intent_stalled').map(() => 'a stall alert'));
  return broken;
}

/** The model's invariants over random schedules on one store. */
async function checkModel(outbox: Outbox, numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 4 }), async (steps, failing) => {
        const { delivered, failedChats, intents, alertKinds, restarts } = await simulate(outbox, steps, new Set(failing));
        expect(violations(delivered, failedChats, intents, alertKinds, restarts)).toEqual([]);
      }),
      {
        numRuns,
        ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH } : {}),
      },
    );
}

describe('dispatcher model', () => {
  it(`sends every message once, in order per chat, within the pacing bound, under the platform limits (${RUNS} runs in memory)`, async () => {
    await checkModel(await memoryOutbox(t), RUNS);
  }, 600_000);

  it(`holds on a real ${testDatabaseDialect()} database too (${SQL_RUNS} runs)`, async () => {
    // Durability is the crash test's subject, not this one's (PostgreSQL test databases commit without waiting already).
    if (testDatabaseDialect() === 'sqlite') await t.ctx.db.$executeRawUnsafe('PRAGMA synchronous = OFF');
    await checkModel(await sqlOutbox(t), SQL_RUNS);
  }, 600_000);
});
