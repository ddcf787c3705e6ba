import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { currentCalendarJobs, type CalendarJobsDeps } from '../../../bot/scheduler/calendar-jobs.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let deps: CalendarJobsDeps;

beforeEach(async () => {
  t = await createTestApp();
  deps = { db: t.ctx.db, clock: t.clock, logger: silentLogger, homeStoreId: t.setup.storeId, retentionMonths: 12, publicBaseUrl: 'http://localhost:3000', channels: [] };
});
afterEach(async () => {
  await t.close();
});

/** A second store of the group, added after start-up as a dealer-group admin does on /admin/store. */
async function secondStore(timeZone: string) {
  const home = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
  return t.ctx.db.store.create({ data: { groupId: home.groupId, name: '第二家店', timeZone, staffHoursStart: '09:00', staffHoursEnd: '18:00' } });
}

const named = async (name: string) => (await currentCalendarJobs(deps)).filter((job) => job.name === name);

describe('the calendar jobs of a dealer group', () => {
  it('runs every store its own jobs in its own time zone, and the deployment-wide ones once', async () => {
    const berlin = await secondStore('Europe/Berlin');
    const jobs = await currentCalendarJobs(deps);
    for (const store of [t.setup.storeId, berlin.id]) {
      for (const kind of ['birthdays', 'lead-digest', 'survey-follow-up', 'ticket-escalation', 'stale-leads']) {
        expect(jobs.filter((job) => job.name === `${kind}:${store}`), `${kind} of ${store}`).toHaveLength(1);
      }
    }
    expect(jobs.filter((job) => job.name.endsWith(`:${berlin.id}`)).every((job) => job.timeZone === 'Europe/Berlin')).toBe(true);
    expect(jobs.filter((job) => job.name === 'data-retention' || job.name === 'housekeeping').map((job) => job.timeZone)).toEqual(['Asia/Shanghai', 'Asia/Shanghai']);
    expect(new Set(jobs.map((job) => job.name)).size).toBe(jobs.length);
  });

  it('follows a change of staff hours at the next look', async () => {
    const store = await secondStore('Asia/Shanghai');
    expect((await named(`lead-digest:${store.id}`))[0]!.cron).toBe('0 9 * * *');
    await t.ctx.db.store.update({ where: { id: store.id }, data: { staffHoursStart: '10:15' } });
    expect((await named(`lead-digest:${store.id}`))[0]!.cron).toBe('15 10 * * *');
  });

  it('greets the birthday of a customer of a store added after start-up', async () => {
    const berlin = await secondStore('Europe/Berlin');
    const customer = await t.ctx.db.customer.create({ data: { name: '王芳', phone: '+8613900001111', birthday: '1990-12-03' } });
    await t.ctx.db.visit.create({ data: { customerId: customer.id, storeId: berlin.id, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
    await t.ctx.db.consentRecord.create({ data: { customerId: customer.id, purpose: 'MARKETING', granted: true, source: 'test', noticeVersion: 'v', recordedAt: t.clock.now() } });

    t.clock.set(new Date('2026-12-03T00:06:00+01:00')); // 00:06 in Berlin: the store's birthday scan is due
    await fireDueJobs(t.ctx.db, t.clock, silentLogger, await currentCalendarJobs(deps));
    const greetings = await t.ctx.db.messageIntent.findMany({ where: { kind: 'birthday_greeting' } });
    expect(greetings.map((g) => [g.storeId, g.dedupeKey])).toEqual([[berlin.id, `birthday:${customer.id}:2026-12-03`]]);
  });
});
