/**
 * The in-memory outbox the dispatcher's model test runs on must answer exactly as the SQL one:
 * random operations (queueing into a few chats' lines and unrouted, claims by two owners with
 * leases that run out, every guarded change with the right and a wrong owner, cancellations)
 * go to both stores through the port, and every answer, the next claimable time and every
 * row's place in the outbox must agree after each step.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageIntent, Store } from '../../../core/db/generated/client.ts';
import { enqueueIntent, type NewIntent } from '../../../core/outbox/enqueue-intent.ts';
import { cancelWaitingIntents } from '../../../core/outbox/intent-transitions.ts';
import type { EndState, OutboxStore, OutboxTransaction } from '../../../core/outbox/outbox-store.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { MemoryOutboxStore } from '../../fakes/memory-outbox-store.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const RUNS = Number(process.env.OUTBOX_STORE_RUNS ?? 400);
const LEASE_MS = 5_000;
const START = new Date('2026-12-01T02:00:00Z');
const OWNERS = ['one', 'two'] as const;
const LANES = ['TELEGRAM:a', 'WEB:b'] as const;

type Op =
  | { op: 'queue'; lane: number; dueIn: number }
  | { op: 'claim'; owner: number; limit: number }
  | { op: 'change'; pick: number; wrongOwner: boolean; change: Change }
  | { op: 'sendingMany'; owner: number; picks: number[]; lane: number }
  | { op: 'cancel'; pick: number }
  | { op: 'advance'; ms: number };
type Change =
  | { kind: 'release'; lane: number }
  | { kind: 'pace'; lane: number; waitMs: number }
  | { kind: 'snooze'; waitMs: number }
  | { kind: 'finish'; state: EndState }
  | { kind: 'sent' }
  | { kind: 'retry'; waitMs: number }
  | { kind: 'unclaim' };

/** Mostly the first chat, so lines are long and crowded; LANES.length: not routed yet. */
const lane = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(LANES.length) });
const wait = fc.integer({ min: 0, max: 4_000 });
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('release' as const), lane: fc.integer({ min: 0, max: LANES.length - 1 }) }),
  fc.record({ kind: fc.constant('pace' as const), lane: fc.integer({ min: 0, max: LANES.length - 1 }), waitMs: wait }),
  fc.record({ kind: fc.constant('snooze' as const), waitMs: wait }),
  fc.record({ kind: fc.constant('finish' as const), state: fc.constantFrom<EndState>('EXPIRED', 'CANCELLED', 'DEAD', 'UNKNOWN') }),
  fc.record({ kind: fc.constant('sent' as const) }),
  fc.record({ kind: fc.constant('retry' as const), waitMs: wait }),
  fc.record({ kind: fc.constant('unclaim' as const) }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('queue' as const), lane, dueIn: fc.integer({ min: -3_000, max: 3_000 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('claim' as const), owner: fc.integer({ min: 0, max: 1 }), limit: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('change' as const), pick: fc.nat(), wrongOwner: fc.boolean(), change: changeArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('sendingMany' as const), owner: fc.integer({ min: 0, max: 1 }), picks: fc.array(fc.nat(), { maxLength: 3 }), lane: fc.integer({ min: 0, max: LANES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
);

let t: TestCore;
let storeRow: Store;
beforeAll(async () => {
  t = await createTestCore();
  storeRow = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
});
afterAll(async () => {
  await t.close();
});

/** What the stores must agree on about a row. */
const view = (r: MessageIntent) => ({
  id: r.id, state: r.state, lane: r.lane, sendAt: r.sendAt.getTime(), nextAttemptAt: r.nextAttemptAt?.getTime() ?? null, leaseOwner: r.leaseOwner,
  attempts: r.attempts, paceWaits: r.paceWaits, channel: r.channel, address: r.address, providerMessageId: r.providerMessageId,
});
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('MemoryOutboxStore', () => {
  it('answers every operation as the SQL store does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
        const db = t.ctx.db;
        await db.messageIntent.deleteMany();
        const sql = sqlOutboxStore(db);
        const memory = new MemoryOutboxStore(storeRow);
        let now = START.getTime();
        let n = 0;
        const rows = async () => (await db.messageIntent.findMany()).sort(byId);
        const both = async <T>(work: (store: OutboxStore) => Promise<T>): Promise<T> => {
          const [a, b] = [await work(sql), await work(memory)];
          expect(b).toEqual(a);
          return a;
        };
        const inBoth = <T>(work: (tx: OutboxTransaction) => Promise<T>) => both((store) => store.transaction(work));

        for (const step of ops) {
          const at = new Date(now);
          if (step.op === 'queue') {
            const [channel, address] = step.lane < LANES.length ? (LANES[step.lane] as string).split(':') : [undefined, undefined];
            const sendAt = new Date(now + step.dueIn);
            const intent: NewIntent = {
              dedupeKey: `k${(n += 1)}`, storeId: storeRow.id, purpose: 'REPLY', kind: 'test', message: { kind: 'text', text: 'x' }, sendAt,
              expiresAt: new Date(sendAt.getTime() + 3600_000), ...(channel ? { channel: channel as 'TELEGRAM' | 'WEB', address } : {}),
            };
            await db.$transaction((tx) => enqueueIntent(tx, intent));
            const stored = await db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: intent.dedupeKey } });
            memory.add(intent, stored.createdAt, { id: stored.id, enqueueSeq: stored.enqueueSeq });
          } else if (step.op === 'claim') {
            await both(async (store) => (await store.claim(OWNERS[step.owner]!, at, LEASE_MS, step.limit)).map((r) => r.id));
          } else if (step.op === 'change') {
            const leased = (await rows()).filter((r) => r.leaseOwner !== null);
            const row = leased[step.pick % Math.max(1, leased.length)];
            if (!row) continue;
            const guard = { id: row.id, owner: step.wrongOwner ? 'someone else' : (row.leaseOwner as string) };
            const { change } = step;
            if (change.kind === 'unclaim') await both((store) => store.unclaim([guard.id], guard.owner, at));
            else await inBoth(async (tx) => {
              switch (change.kind) {
                case 'release': return tx.release(guard, LANES[change.lane]!, at);
                case 'pace': return tx.pace(guard, { lane: LANES[change.lane]!, until: new Date(now + change.waitMs), now: at, reason: 'turn' });
                case 'snooze': return tx.snooze(guard, new Date(now + change.waitMs), 'quiet hours');
                case 'finish': return tx.finish(guard, change.state, 'ended');
                case 'sent': return [...(await tx.markSentMany(guard.owner, at, [{ id: guard.id, providerMessageId: 'p1' }]))];
                case 'retry': return tx.markRetry(guard, new Date(now + change.waitMs), '502');
              }
            });
          } else if (step.op === 'sendingMany') {
            const owner = OWNERS[step.owner]!;
            const mine = (await rows()).filter((r) => r.leaseOwner === owner);
            const picked = [...new Set(step.picks.map((p) => mine[p % Math.max(1, mine.length)]).filter((r) => r !== undefined))];
            const items = picked.map((r) => {
              const [channel, address] = (r.lane ?? LANES[step.lane]!).split(':') as ['TELEGRAM' | 'WEB', string];
              return { id: r.id, channel, address, lane: `${channel}:${address}` };
            });
            await inBoth(async (tx) => [...(await tx.markSendingMany(owner, at, LEASE_MS, items))].sort());
          } else if (step.op === 'cancel') {
            const all = await rows();
            const victim = all[step.pick % Math.max(1, all.length)];
            if (!victim) continue;
            await db.$transaction((tx) => cancelWaitingIntents(tx, { id: victim.id }, 'cancelled'));
            memory.cancel(victim.id, 'cancelled');
          } else {
            now += step.ms;
          }
          await both((store) => store.nextClaimableAt());
          expect([...memory.rows.values()].map(view).sort(byId)).toEqual((await rows()).map(view));
        }
      }),
      { numRuns: RUNS, ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH } : {}) },
    );
  }, 300_000);
});
