// One role, several instances on one database (issue #15): whoever holds the lease works; a
// holder that dies is replaced once its lease expires, one that shuts down at once; a holder
// that cannot reach the database steps down. Checked by example and over random schedules of
// looks, clock jumps, crashes, restarts, clean stops and database failures (fast-check): never
// two instances working on a lease both believe valid.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { LeaderRole } from '../../../core/scheduler/leader-role.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const TTL = 15_000;
let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => {
  await t.close();
});

/** An instance: its role, whether its work runs, and when it last renewed. */
function instance(owner: string, failing: { now: boolean } = { now: false }) {
  const state = { working: false, renewedAt: -Infinity };
  const db = new Proxy(t.ctx.db, {
    get(target, key, receiver) {
      if (key === 'lease' && failing.now) throw new Error('database unreachable');
      return Reflect.get(target, key, receiver);
    },
  });
  const role = new LeaderRole({
    db, clock: t.clock, logger: silentLogger, name: 'outbox-dispatcher', owner, ttlMs: TTL,
    lead: () => { state.working = true; },
    stepDown: async () => { state.working = false; },
  });
  const check = async () => {
    await role.check();
    if (role.leading) state.renewedAt = t.clock.now().getTime();
  };
  return { role, state, check, failing };
}

describe('a role held by one instance', () => {
  it('goes to one instance, to another when the holder dies (after the lease) or stops (at once)', async () => {
    await t.ctx.db.lease.deleteMany();
    const a = instance('a');
    const b = instance('b');
    await a.check();
    await b.check();
    expect([a.state.working, b.state.working]).toEqual([true, false]);
    t.clock.advance(TTL - 1); // a is silent (dead) but its lease still runs
    await b.check();
    expect(b.state.working).toBe(false);
    t.clock.advance(1);
    await b.check();
    expect(b.state.working).toBe(true);
    await a.check(); // a comes back: it lost the role and stops its work
    expect(a.state.working).toBe(false);
    await b.role.stop();
    expect(b.state.working).toBe(false);
    await a.check(); // released on stop: taken at once
    expect(a.state.working).toBe(true);
    await a.role.stop();
  });

  it('gives the role up when its work fails to start, so the next look tries again', async () => {
    await t.ctx.db.lease.deleteMany();
    let fails = true;
    const role = new LeaderRole({
      db: t.ctx.db, clock: t.clock, logger: silentLogger, name: 'outbox-dispatcher', owner: 'a', ttlMs: TTL,
      lead: () => { if (fails) throw new Error('could not start'); },
      stepDown: async () => undefined,
    });
    await expect(role.check()).rejects.toThrow('could not start');
    expect(role.leading).toBe(false);
    expect(await t.ctx.db.lease.count()).toBe(0);
    fails = false;
    await role.check();
    expect(role.leading).toBe(true);
  });

  it('steps down when it cannot reach the database to renew', async () => {
    await t.ctx.db.lease.deleteMany();
    const a = instance('a');
    await a.check();
    a.failing.now = true;
    await a.check();
    expect(a.state.working).toBe(false);
  });

  it('never has two instances working on leases both believe valid, whatever happens (property)', async () => {
    type Step = { kind: 'check' | 'crash' | 'stop' | 'fail' | 'heal'; who: number } | { kind: 'advance'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('check' as const), who: fc.integer({ min: 0, max: 2 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'stop' as const, 'fail' as const, 'heal' as const), who: fc.integer({ min: 0, max: 2 }) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        await t.ctx.db.lease.deleteMany();
        const instances = ['a', 'b', 'c'].map((owner) => instance(owner));
        for (const s of steps) {
          if (s.kind === 'advance') t.clock.advance(s.ms);
          else {
            const i = instances[s.who]!;
            if (s.kind === 'check') await i.check();
            else if (s.kind === 'stop') await i.role.stop();
            else if (s.kind === 'fail') i.failing.now = true;
            else if (s.kind === 'heal') i.failing.now = false;
            else instances[s.who] = instance(`${'abc'[s.who]}-${steps.indexOf(s)}`); // crash: a new process in its place, nothing released
          }
          const now = t.clock.now().getTime();
          const believers = instances.filter((i) => i.state.working && i.state.renewedAt + TTL > now);
          expect(believers.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
