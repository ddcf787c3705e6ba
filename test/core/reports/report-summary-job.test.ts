import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { reportSummaryJobs } from '../../../core/reports/report-summary-job.ts';
import { latestSlot, type CalendarJob } from '../../../core/scheduler/calendar-job.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { seedReportFixture, sh, type ReportFixture } from '../../helpers/report-fixture.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const SHANGHAI = 'Asia/Shanghai';
const BASE = 'http://showroom.test';
let t: TestCore;
let f: ReportFixture;

beforeEach(async () => {
  t = await createTestCore();
  f = await seedReportFixture(t.ctx.db, t.setup.storeId);
});
afterEach(async () => {
  await t.close();
});

/** The store's summary jobs as a freshly started process makes them. */
const jobs = (): CalendarJob[] => reportSummaryJobs(t.ctx.db, t.clock, silentLogger, { id: f.storeId, timeZone: SHANGHAI, staffHoursStart: '08:30', staffHoursEnd: '18:30' }, BASE);
const look = async (at: Date) => {
  t.clock.set(at);
  return fireDueJobs(t.ctx.db, t.clock, silentLogger, jobs());
};
const summaries = () => t.ctx.db.messageIntent.findMany({ where: { kind: { startsWith: 'report_' } }, orderBy: [{ dedupeKey: 'asc' }] });

describe('日报, 周报, 月报 in chat', () => {
  it('sends the 日报 at the end of staff hours with the day\'s figures and the link, once, across a restart and a crashed run', async () => {
    await look(sh('2026-11-20 18:29')); // first sight: yesterday's slot is too old, a baseline
    expect(await summaries()).toEqual([]);
    const results = await look(sh('2026-11-20 18:31'));
    expect(results.find((r) => r.job.startsWith('report-day'))?.outcome).toBe('fired');
    const [daily, ...rest] = await summaries();
    expect(rest).toEqual([]);
    expect(daily).toMatchObject({ dedupeKey: `report:day:${f.storeId}:2026-11-20:${f.manager}`, staffId: f.manager, purpose: 'STAFF', kind: 'report_day' });
    const text = JSON.parse(daily!.payload).text as string;
    expect(text.split('\n')[0]).toBe('【日报】2026年11月20日 · 示例汽车4S店');
    expect(text).toContain('接待：登记 2 人（新客户 1），进店 3 组，留存率 66.7%（目标 95.0%）');
    expect(text).toContain(`详情：${BASE}/admin/reports?period=day&date=2026-11-20`);
    expect(text).not.toMatch(/\+86|139\d{8}/);

    // A restart: new job objects, the same database. Nothing more for the slot.
    await look(sh('2026-11-20 18:40'));
    // A run cut short after queueing (its slot not marked): running the slot again queues nothing more.
    await jobs()[0]!.run(latestSlot(jobs()[0]!, t.clock.now()));
    expect(await summaries()).toHaveLength(1);
  });

  it('catches up the 周报 of last week after being down over Monday morning, and the 月报 on the 1st to managers and admins', async () => {
    await look(sh('2026-11-22 10:00'));
    await look(sh('2026-11-23 11:00')); // down from Sunday to Monday 11:00: the 08:30 周报 is caught up once
    await look(sh('2026-11-23 11:05'));
    const weekly = (await summaries()).filter((i) => i.kind === 'report_week');
    expect(weekly.map((i) => i.dedupeKey)).toEqual([`report:week:${f.storeId}:2026-11-16:${f.manager}`]);
    const text = JSON.parse(weekly[0]!.payload).text as string;
    expect(text).toContain('【周报】2026年11月16日–22日（第47周）');
    expect(text).toContain('回访排名：1. 李强 8.5分　2. 王丽 8.0分');
    expect(text).toContain('未达每日最低：李强 1/15、王丽 3/15');

    await look(sh('2026-12-01 09:05'));
    const monthly = (await summaries()).filter((i) => i.kind === 'report_month');
    expect(monthly.map((i) => i.staffId).sort()).toEqual([f.manager, t.setup.adminStaffId].sort());
    expect(JSON.parse(monthly[0]!.payload).text).toContain('【月度满意度回访汇总】2026年11月');
  });

  it('queues exactly the slots the looks reach, whatever the order of looks and restarts (model)', async () => {
    const start = sh('2026-11-20 12:00').getTime();
    const day = jobs()[0]!;
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 60 * 60 }), { minLength: 1, maxLength: 8 }), async (stepsMinutes) => {
      await t.ctx.db.messageIntent.deleteMany({ where: { kind: { startsWith: 'report_' } } });
      await t.ctx.db.cronFire.deleteMany();
      let at = start;
      const expected = new Set<string>();
      let baseline: string | null = null;
      for (const [i, minutes] of stepsMinutes.entries()) {
        at += minutes * 60_000;
        const slot = latestSlot(day, new Date(at)).toISOString();
        // A job's first look takes a slot older than its grace as done; otherwise every look fires its latest slot once.
        if (i === 0 && at - Date.parse(slot) > day.graceMs) baseline = slot;
        else if (slot !== baseline) expected.add(slot);
        await look(new Date(at));
      }
      const keys = (await summaries()).filter((i) => i.kind === 'report_day').map((i) => i.dedupeKey);
      const dates = [...expected].map((iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10)).sort();
      expect(keys).toEqual(dates.map((d) => `report:day:${f.storeId}:${d}:${f.manager}`));
    }), { numRuns: 12 });
  });
});
