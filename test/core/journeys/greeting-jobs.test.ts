import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { birthdayJob, holidayJob } from '../../../core/journeys/greeting-jobs.ts';
import { silentLogger } from '../../../core/logger.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let store: { id: string; timeZone: string };

beforeEach(async () => {
  t = await createTestCore();
  store = { id: t.setup.storeId, timeZone: 'Asia/Shanghai' };
});
afterEach(async () => {
  await t.close();
});

/** A customer of the store with a birthday and, unless told otherwise, marketing consent. */
async function customer(n: number, birthday: string | null, opts: { lunar?: boolean; marketing?: boolean } = {}): Promise<string> {
  const c = await t.ctx.db.customer.create({ data: { name: `客户${n}`, phone: `+86139000000${String(n).padStart(2, '0')}`, birthday, birthdayCalendar: opts.lunar ? 'LUNAR' : 'GREGORIAN' } });
  await t.ctx.db.visit.create({ data: { customerId: c.id, storeId: store.id, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
  await t.ctx.db.consentRecord.create({ data: { customerId: c.id, purpose: 'MARKETING', granted: opts.marketing ?? true, source: 'test', noticeVersion: 'v', recordedAt: t.clock.now() } });
  return c.id;
}

/** Runs a job for the slot at 00:05 on a local date in Shanghai. */
const runOn = (job: ReturnType<typeof birthdayJob>, date: string) => job.run(new Date(`${date}T00:05:00+08:00`));
const birthdays = () => birthdayJob(t.ctx.db, t.clock, silentLogger, store);
const greetings = () => t.ctx.db.messageIntent.findMany({ orderBy: { dedupeKey: 'asc' } });

describe('birthday greetings', () => {
  it('greets on the day at 10:00 store time, as marketing, stale at midnight', async () => {
    const id = await customer(1, '1985-11-25');
    await runOn(birthdays(), '2026-11-24');
    expect(await greetings()).toEqual([]);
    await runOn(birthdays(), '2026-11-25');
    const [greeting] = await greetings();
    expect(greeting).toMatchObject({ dedupeKey: `birthday:${id}:2026-11-25`, kind: 'birthday_greeting', purpose: 'MARKETING', priority: 20 });
    expect(greeting!.sendAt.toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(greeting!.expiresAt.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(JSON.parse(greeting!.payload).text).toContain('生日快乐');
  });

  it('greets at 10:00 in a New York store, before and after daylight saving changes', async () => {
    store = { id: store.id, timeZone: 'America/New_York' };
    await customer(11, '1980-03-08');
    await customer(12, '1980-11-02');
    await birthdays().run(new Date('2026-03-08T05:05:00Z')); // 00:05 EST; clocks spring forward at 02:00
    await birthdays().run(new Date('2026-11-02T05:05:00Z')); // 00:05 EST, the day after fall back
    const sendTimes = (await greetings()).map((g) => g.sendAt.toISOString()).sort();
    expect(sendTimes).toEqual(['2026-03-08T14:00:00.000Z', '2026-11-02T15:00:00.000Z']); // 10:00 EDT, 10:00 EST
  });

  it('greets someone born on 29 February on 28 February in other years', async () => {
    await customer(2, '2000-02-29');
    await runOn(birthdays(), '2027-02-28');
    await runOn(birthdays(), '2028-02-28');
    await runOn(birthdays(), '2028-02-29');
    expect((await greetings()).map((g) => g.sendAt.toISOString())).toEqual(['2027-02-28T02:00:00.000Z', '2028-02-29T02:00:00.000Z']);
  });

  it('follows a lunar birthday across two years', async () => {
    await customer(3, '1990-01-16', { lunar: true }); // lunar 12/20
    for (const date of ['2026-01-16', '2026-02-07', '2027-01-16', '2027-01-27']) await runOn(birthdays(), date);
    expect((await greetings()).map((g) => g.dedupeKey.split(':')[2])).toEqual(['2026-02-07', '2027-01-27']);
  });

  it('never greets a child under 14, nor anyone without marketing consent or a birthday', async () => {
    await customer(4, '2013-11-25');
    await customer(5, '1980-11-25', { marketing: false });
    await customer(6, null);
    await runOn(birthdays(), '2026-11-25');
    expect(await greetings()).toEqual([]);
    await runOn(birthdays(), '2027-11-25');
    expect(await greetings()).toHaveLength(1);
  });

  it('creates nothing new when run twice for the same day', async () => {
    await customer(7, '1985-11-25');
    await runOn(birthdays(), '2026-11-25');
    await runOn(birthdays(), '2026-11-25');
    expect(await greetings()).toHaveLength(1);
  });
});

describe('holiday greetings', () => {
  it('greets every consenting customer the day before Spring Festival, with the holiday named', async () => {
    await customer(8, null);
    await customer(9, null, { marketing: false });
    const job = holidayJob(t.ctx.db, t.clock, silentLogger, store);
    await runOn(job, '2027-02-04');
    expect(await greetings()).toEqual([]);
    await runOn(job, '2027-02-05'); // Spring Festival 2027 is 6 February
    await runOn(job, '2027-02-05');
    const all = await greetings();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'holiday_greeting', purpose: 'MARKETING', priority: 10 });
    expect(all[0]!.dedupeKey).toMatch(/^holiday:SPRING_FESTIVAL:2027:/);
    expect(JSON.parse(all[0]!.payload).text).toContain('春节');
    expect(all[0]!.expiresAt.toISOString()).toBe('2027-02-06T16:00:00.000Z');
  });

  it('greets before Mid-Autumn and National Day on their own dates', async () => {
    await customer(10, null);
    const job = holidayJob(t.ctx.db, t.clock, silentLogger, store);
    await runOn(job, '2026-09-24');
    await runOn(job, '2026-09-30');
    expect((await greetings()).map((g) => g.dedupeKey.split(':')[1])).toEqual(['MID_AUTUMN', 'NATIONAL_DAY']);
  });
});
