import { CronExpressionParser } from 'cron-parser';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../../../core/clock.ts';
import { openDatabase } from '../../../core/db/open-database.ts';
import { silentLogger } from '../../../core/logger.ts';
import { latestSlot, nextSlot, type CalendarJob } from '../../../core/scheduler/calendar-job.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.ts';

const HOUR = 3600_000;
const MINUTE = 60_000;
const retry = { delaysMs: [MINUTE, 5 * MINUTE], leaseMs: 10 * MINUTE };
let database: TestDatabase;
let clock: FixedClock;
let fired: string[];
let storeId: string;

function job(overrides: Partial<CalendarJob> = {}): CalendarJob {
  return {
    name: 'digest', cron: '0 8 * * *', timeZone: 'Asia/Shanghai', missed: 'catch-up', graceMs: 2 * HOUR,
    run: async (slot) => { fired.push(slot.toISOString()); },
    ...overrides,
  };
}
const tick = (jobs: CalendarJob[] = [job()]) => fireDueJobs(database.db, clock, silentLogger, jobs);

beforeEach(async () => {
  database = await createTestDatabase();
  clock = new FixedClock('2026-11-22T00:00:30Z'); // 08:00:30 in Shanghai
  fired = [];
  const group = await database.db.dealerGroup.create({ data: { name: 'G' } });
  storeId = (await database.db.store.create({ data: { groupId: group.id, name: 'S', timeZone: 'Asia/Shanghai' } })).id;
});
afterEach(async () => {
  await database.close();
});

describe('fireDueJobs', () => {
  it('fires a slot once, however often the ticker looks', async () => {
    await tick();
    await tick();
    clock.advance(HOUR);
    await tick();
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z']);
    clock.set('2026-11-23T00:00:00Z');
    await tick();
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  });

  it('fires a slot once with two instances on one database', async () => {
    const other = await openDatabase(database.url);
    try {
      const results = await Promise.all([tick(), fireDueJobs(other, clock, silentLogger, [job()]), tick()]);
      expect(fired).toHaveLength(1);
      expect(results.flat().filter((r) => r.outcome === 'fired')).toHaveLength(1);
    } finally {
      await other.$disconnect();
    }
  });

  it('catches up once, for the latest slot, after a long downtime', async () => {
    await tick();
    clock.set('2026-11-25T03:00:00Z'); // down for three 08:00 slots; now 11:00 local
    await tick();
    await tick();
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
  });

  it('skips a missed slot past its grace when the job says so', async () => {
    const skipping = job({ missed: 'skip', graceMs: HOUR });
    await tick([skipping]);
    clock.set('2026-11-23T04:00:00Z'); // 12:00 local: the 08:00 digest is stale
    const [result] = await tick([skipping]);
    expect(result?.outcome).toBe('skipped');
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z']);
    clock.set('2026-11-24T00:10:00Z');
    await tick([skipping]);
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-24T00:00:00.000Z']);
  });

  it('starts a new job from its latest slot without firing a stale one', async () => {
    clock.set('2026-11-22T06:00:00Z'); // 14:00 local, 6 h after the slot
    const [result] = await tick();
    expect(result?.outcome).toBe('baseline');
    expect(fired).toEqual([]);
  });

  it('follows the job\'s time zone across daylight saving', async () => {
    const ny = job({ name: 'ny', timeZone: 'America/New_York' });
    clock.set('2026-03-07T13:00:30Z'); // 08:00:30 EST
    await tick([ny]);
    clock.set('2026-03-08T12:00:30Z'); // 08:00:30 EDT
    await tick([ny]);
    clock.set('2026-11-01T13:00:30Z'); // 08:00:30 EST again
    await tick([ny]);
    expect(fired).toEqual(['2026-03-07T13:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-11-01T13:00:00.000Z']);
  });

  it('does not fire again when the clock goes back', async () => {
    await tick();
    clock.advance(-2 * HOUR);
    await tick();
    clock.advance(2 * HOUR);
    await tick();
    expect(fired).toHaveLength(1);
  });

  it('reports a failing job and moves on to the next', async () => {
    const failing = job({ name: 'broken', run: async () => { throw new Error('boom'); } });
    const results = await tick([failing, job()]);
    expect(results.map((r) => r.outcome)).toEqual(['retrying', 'fired']);
  });

  it('retries a slot that failed (a locked database) until it succeeds, then fires the next slot as usual', async () => {
    let failuresLeft = 2;
    const flaky = job({ run: async (slot) => { if (failuresLeft-- > 0) throw new Error('database is locked'); fired.push(slot.toISOString()); } });
    expect((await tick([flaky]))[0]?.outcome).toBe('retrying');
    expect((await tick([flaky]))[0]?.outcome).toBe('waiting'); // not before its pause
    clock.advance(MINUTE);
    expect((await tick([flaky]))[0]?.outcome).toBe('retrying');
    clock.advance(5 * MINUTE);
    expect((await tick([flaky]))[0]?.outcome).toBe('fired');
    expect(await tick([flaky])).toEqual([]);
    clock.set('2026-11-23T00:00:10Z');
    expect((await tick([flaky]))[0]?.outcome).toBe('fired');
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  });

  it('gives a slot up after the last attempt with one alert to the admins, and runs the next slot', async () => {
    let runs = 0;
    const broken = job({ run: async () => { runs += 1; throw new Error('bad data in one lead'); } });
    const outcomes: string[] = [];
    for (let look = 0; look < 12; look += 1) {
      const results = await fireDueJobs(database.db, clock, silentLogger, [broken], { alertStoreId: storeId, retry });
      outcomes.push(...results.map((r) => r.outcome));
      clock.advance(MINUTE);
    }
    expect(runs).toBe(3);
    expect(outcomes.filter((o) => o !== 'waiting')).toEqual(['retrying', 'retrying', 'failed']);
    const alerts = await database.db.alert.findMany({ where: { kind: 'calendar_job_failed' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('bad data in one lead');
    clock.set('2026-11-23T00:00:10Z');
    await fireDueJobs(database.db, clock, silentLogger, [broken], { alertStoreId: storeId, retry });
    expect(runs).toBe(4);
  });

  it("alerts the admins of the job's own store when it names one, not the fallback store", async () => {
    const group = await database.db.dealerGroup.create({ data: { name: 'G2' } });
    const other = await database.db.store.create({ data: { groupId: group.id, name: 'S2', timeZone: 'Asia/Shanghai' } });
    const broken = job({ storeId: other.id, run: async () => { throw new Error('one store only'); } });
    for (let look = 0; look < 12; look += 1) {
      await fireDueJobs(database.db, clock, silentLogger, [broken], { alertStoreId: storeId, retry });
      clock.advance(MINUTE);
    }
    const alerts = await database.db.alert.findMany({ where: { kind: 'calendar_job_failed' } });
    expect(alerts.map((a) => a.storeId)).toEqual([other.id]);
  });

  it('runs a slot on one instance at a time, and takes over a run whose instance died (counted as an attempt)', async () => {
    let release: (() => void) | undefined;
    const slow = job({ run: (slot) => new Promise<void>((resolve) => { release = () => { fired.push(slot.toISOString()); resolve(); }; }) });
    const first = fireDueJobs(database.db, clock, silentLogger, [slow], { retry });
    await vi.waitFor(() => expect(release).toBeDefined());
    expect((await tick([job()]))[0]?.outcome).toBe('taken'); // another instance looks while it runs
    release?.();
    await first;
    expect(fired).toEqual(['2026-11-22T00:00:00.000Z']);

    // An instance that dies mid-run leaves its lease; after it lapses the slot runs again.
    let started = false;
    const other = job({ name: 'crashy', run: () => { started = true; return new Promise<void>(() => undefined); } });
    void fireDueJobs(database.db, clock, silentLogger, [other], { retry });
    await vi.waitFor(() => expect(started).toBe(true));
    expect((await tick([job({ name: 'crashy' })]))[0]?.outcome).toBe('taken');
    clock.advance(retry.leaseMs + 1);
    expect((await tick([job({ name: 'crashy' })]))[0]?.outcome).toBe('fired');
    expect((await database.db.cronFire.findUniqueOrThrow({ where: { job: 'crashy' } })).failures).toBe(0);
  });

  it('skips a look without touching the job\'s row when hasWork finds nothing, and runs the latest slot once it does', async () => {
    let work = false;
    const every = job({ name: 'every-minute', cron: '* * * * *', hasWork: async () => work });
    expect((await tick([every]))[0]?.outcome).toBe('idle');
    expect(await database.db.cronFire.findUnique({ where: { job: 'every-minute' } })).toBeNull();
    clock.advance(5 * MINUTE);
    work = true;
    expect((await tick([every]))[0]?.outcome).toBe('fired');
    expect(fired).toEqual(['2026-11-22T00:05:00.000Z']);
    expect((await tick([every]))).toEqual([]); // the slot is done: not run twice, whatever hasWork says
  });
});

describe('latestSlot and nextSlot', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
  const crons = ['* * * * *', '*/5 * * * *', '*/15 * * * *', '30 3 * * *', '0 9 1 * *', '30 8 * * 1'];
  it('give the slots the cron expression gives for the same instant (remembered per minute, across DST changes)', () => {
    fc.assert(fc.property(
      fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), fc.constantFrom(...zones), fc.constantFrom(...crons), fc.boolean(),
      (ms, timeZone, cron, onTheMinute) => {
        const now = new Date(onTheMinute ? Math.floor(ms / MINUTE) * MINUTE : ms);
        for (let ask = 0; ask < 2; ask += 1) { // the second answer comes from memory
          expect(latestSlot({ cron, timeZone }, now)).toEqual(CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone }).prev().toDate());
          expect(nextSlot({ cron, timeZone }, now)).toEqual(CronExpressionParser.parse(cron, { currentDate: now, tz: timeZone }).next().toDate());
        }
      },
    ), { numRuns: 300 });
  });
});
