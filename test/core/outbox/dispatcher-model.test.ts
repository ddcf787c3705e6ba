/**
 * Model-based test of the outbox dispatcher (fast-check): random arrivals of messages to a few
 * Telegram chats over simulated minutes — bursts of replies, scheduled messages due at other
 * times, messages cancelled or going stale while they wait, restarts that forget everything in
 * memory, two dispatchers taking turns, and sends the platform answers with a 5xx (retried) — run on the real dispatcher and a real SQLite
 * database with a fake clock and a fake channel that records when each message arrived. After
 * every run:
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
 * and path (replay with MODEL_SEED / MODEL_PATH). MODEL_RUNS sets the number of runs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { cancelWaitingIntents } from '../../../core/outbox/intent-transitions.ts';
import { telegramLimits } from '../../../core/outbox/platform-limits.ts';
import { RateLimiter } from '../../../core/outbox/rate-limiter.ts';
import { FakeSender } from '../../fakes/fake-sender.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const CHATS = 4;
const SECOND = 1000;
/** A restart's limiter waits one refill before its first send (it cannot know the last second). */
const RESTART_ALLOWANCE = SECOND;
/** Rounds of database work and the simulation's own step; sends are instant on the fake clock. */
const CONSTANT = 50;
const RUNS = Number(process.env.MODEL_RUNS ?? 150);

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

let t: TestApp;
let start: number;
let customers: string[];

beforeAll(async () => {
  t = await createTestApp({ STORE_CUSTOMER_HOURS: '00:00-00:00' });
  start = t.clock.now().getTime();
  customers = [];
  for (let i = 0; i < CHATS; i += 1) {
    const customer = await t.ctx.db.customer.create({ data: { name: `客户${i}`, phone: `+8613900000${String(i).padStart(3, '0')}` } });
    await t.ctx.db.channelIdentity.create({ data: { customerId: customer.id, channel: 'TELEGRAM', externalId: `chat-${i}` } });
    await t.ctx.db.consentRecord.create({ data: { customerId: customer.id, purpose: 'SERVICE', granted: true, source: 'test', noticeVersion: 'test', recordedAt: t.clock.now() } });
    customers.push(customer.id);
  }
});
afterAll(async () => {
  await t.close();
});

/** One simulated run; returns what the invariants need. */
async function simulate(steps: Step[], failCalls: Set<number>) {
  const db = t.ctx.db;
  await db.alert.deleteMany();
  await db.messageIntent.deleteMany();
  t.clock.set(new Date(start));
  const sender = new FakeSender(t.clock, 'TELEGRAM');
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
  const make = () => new Dispatcher({ db, clock: t.clock, logger: silentLogger, senders: [sender], limiter, random: () => 0.5 });
  let dispatchers = [make(), make()];
  let active = 0;
  const restarts: number[] = [start]; // the first start is a start too: its buckets begin empty
  const queue = [...steps].sort((a, b) => a.at - b.at);
  let n = 0;
  for (let guard = 0; guard < 5_000; guard += 1) {
    const now = t.clock.now().getTime() - start;
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= now) {
      const step = queue.shift() as Step;
      if (step.kind === 'restart') {
        limiter = new RateLimiter({ startedAtMs: t.clock.now().getTime() });
        dispatchers = [make(), make()];
        restarts.push(t.clock.now().getTime());
      } else if (step.kind === 'switch') {
        active = 1 - active;
      } else {
        await arrive(step, (n += 1));
      }
    }
    for (let rounds = 0; rounds < 200 && (await dispatchers[active]!.runOnce()) > 0; rounds += 1) active = 1 - active;
    const next = await dispatchers[active]!.nextClaimableAt();
    const nextArrival = queue[0] ? start + queue[0].at : Number.POSITIVE_INFINITY;
    const wake = Math.min(next ? Math.max(next.getTime(), t.clock.now().getTime() + 1) : Number.POSITIVE_INFINITY, nextArrival);
    if (!Number.isFinite(wake)) break;
    t.clock.set(new Date(wake));
  }
  const intents = await db.messageIntent.findMany({ orderBy: [{ sendAt: 'asc' }, { enqueueSeq: 'asc' }] });
  const alerts = await db.alert.findMany();
  return { delivered, failedChats, intents, alerts, restarts };
}

async function arrive(step: Exclude<Step, { kind: 'restart' | 'switch' }>, n: number): Promise<void> {
  const db = t.ctx.db;
  const now = t.clock.now();
  if (step.kind === 'replies') {
    for (let part = 0; part < step.parts; part += 1) {
      await queueText(db, t.setup.storeId, `reply:${n}:${part}`, now, { purpose: 'REPLY', channel: 'TELEGRAM', address: `chat-${step.chat}` });
    }
  } else if (step.kind === 'scheduled') {
    const due = new Date(now.getTime() + step.dueIn);
    await queueText(db, t.setup.storeId, `scheduled:${n}`, due, { customerId: customers[step.chat], expiresAt: new Date(due.getTime() + step.staleIn) });
  } else {
    const waiting = await db.messageIntent.findMany({ where: { state: { in: ['PENDING', 'FAILED_RETRYING'] } }, orderBy: { id: 'asc' } });
    const victim = waiting[step.pick % Math.max(1, waiting.length)];
    if (victim) await db.$transaction((tx) => cancelWaitingIntents(tx, { id: victim.id }, 'cancelled in the model'));
  }
}

describe('dispatcher model', () => {
  it('sends every message once, in order per chat, within the pacing bound, under the platform limits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 4 }), async (steps, failing) => {
        const { delivered, failedChats, intents, alerts, restarts } = await simulate(steps, new Set(failing));
        const sent = new Map(delivered.map((call) => [call.envelope.dedupeKey, call.at.getTime()]));
        // Exactly once; nothing ended is sent; nothing is left waiting.
        expect(sent.size).toBe(delivered.length);
        for (const intent of intents) {
          expect(intent.state, `${intent.dedupeKey}: ${intent.lastError ?? ''}`).toMatch(/^(SENT|CANCELLED|EXPIRED)$/);
          expect(sent.has(intent.dedupeKey)).toBe(intent.state === 'SENT');
        }
        // Order per chat and the per-chat gap.
        const byChat = new Map<string, typeof delivered>();
        for (const call of delivered) byChat.set(call.envelope.address, [...(byChat.get(call.envelope.address) ?? []), call]);
        const place = new Map(intents.map((intent, index) => [intent.dedupeKey, index]));
        for (const calls of byChat.values()) {
          const order = calls.map((c) => place.get(c.envelope.dedupeKey) ?? -1);
          expect(order).toEqual([...order].sort((a, b) => a - b));
          for (let i = 1; i < calls.length; i += 1) expect(calls[i]!.at.getTime() - calls[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(SECOND);
        }
        // At most 30 in any second overall.
        const times = delivered.map((c) => c.at.getTime()).sort((a, b) => a - b);
        for (let i = 30; i < times.length; i += 1) expect(times[i]! - times[i - 30]!).toBeGreaterThanOrEqual(SECOND);
        // Liveness within the bound; no stall alerts.
        for (const intent of intents.filter((i) => i.state === 'SENT' && !failedChats.has(i.address ?? ''))) {
          const due = intent.sendAt.getTime();
          const at = sent.get(intent.dedupeKey) ?? 0;
          const chat = intent.address;
          const ahead = intents.filter((o) => o.address === chat && o.state === 'SENT' && place.get(o.dedupeKey)! < place.get(intent.dedupeKey)! && (sent.get(o.dedupeKey) ?? 0) >= due).length;
          const restartsWhileWaiting = restarts.filter((r) => r >= due && r <= at).length;
          expect(at, `${intent.dedupeKey} due ${due - start}, sent ${at - start}, ${ahead} ahead`).toBeLessThanOrEqual(due + (ahead + 1) * SECOND + restartsWhileWaiting * RESTART_ALLOWANCE + CONSTANT);
        }
        expect(alerts.filter((a) => a.kind === 'intent_stalled')).toEqual([]);
      }),
      {
        numRuns: RUNS,
        ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH } : {}),
      },
    );
  }, 600_000);
});
