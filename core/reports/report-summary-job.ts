import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { dailyCron } from '../leads/nudge-jobs.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';
import { storeManagers } from '../outbox/staff-message.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { monthlyConsultantScores } from '../surveys/consultant-scores.ts';
import { monthlySummaryText } from '../surveys/monthly-summary-text.ts';
import { buildReport } from './build-report.ts';
import { periodOf, type ReportPeriod } from './report-period.ts';
import { summaryText, type SummaryKind } from './report-texts.ts';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The store as the summary jobs need it (staff hours set the 日报's and 周报's times when the job is made). */
export interface SummaryStore {
  id: string;
  timeZone: string;
  staffHoursStart?: string;
  staffHoursEnd?: string;
}

/**
 * When each summary goes, what it covers, whether a slot missed while down is caught up, and how
 * long a queued one may wait for a chat: the 日报 at the end of staff hours about that day
 * (caught up within 3 h); the 周报 at the start of staff hours on Monday about last week (within
 * 2 days); the 月报 on the 1st at 09:00 about last month (within 3 days).
 */
const PLANS: Record<SummaryKind, { cron: (s: SummaryStore) => string; period: (slot: Date, zone: string) => ReportPeriod; graceMs: number; staleMs: number }> = {
  day: { cron: (s) => dailyCron(s.staffHoursEnd, '18:30'), period: (slot, zone) => periodOf('day', local(slot, zone)), graceMs: 3 * HOUR_MS, staleMs: DAY_MS },
  week: { cron: (s) => onMondays(dailyCron(s.staffHoursStart, '08:30')), period: (slot, zone) => periodOf('week', local(slot, zone, 7)), graceMs: 2 * DAY_MS, staleMs: 3 * DAY_MS },
  month: { cron: () => '0 9 1 * *', period: (slot, zone) => periodOf('month', DateTime.fromJSDate(slot, { zone }).minus({ months: 1 }).toISODate() as string), graceMs: 3 * DAY_MS, staleMs: 7 * DAY_MS },
};

/** A daily cron (`m h * * *`) on Mondays only. */
const onMondays = (daily: string): string => `${daily.split(' ').slice(0, 2).join(' ')} * * 1`;

function local(slot: Date, zone: string, daysBefore = 0): string {
  return DateTime.fromJSDate(slot, { zone }).minus({ days: daysBefore }).toISODate() as string;
}

/** Who gets a summary: the store's managers (its admins when it has none); the 月报 also goes to the admins (the general manager). */
async function recipients(tx: DatabaseTx, storeId: string, kind: SummaryKind): Promise<string[]> {
  const managers = (await storeManagers(tx, storeId)).map((m) => m.id);
  if (kind !== 'month') return managers;
  const admins = await tx.staff.findMany({ where: { storeId, role: 'ADMIN', active: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  return [...new Set([...managers, ...admins.map((a) => a.id)])];
}

/** The page of a summary's report, under the public base URL. */
export function reportLink(baseUrl: string, period: ReportPeriod): string {
  return `${baseUrl}/admin/reports?${new URLSearchParams({ period: period.kind, date: period.start }).toString()}`;
}

/**
 * The 日报, 周报 or 月报 of a store as a calendar job: the report of the period the slot closes,
 * as a short text with a link to the page, queued to each recipient as a STAFF message with key
 * `report:<kind>:<store>:<period start>:<staff>` in one transaction, so a slot run twice (a retry,
 * a restart, a second instance) queues nothing more. The 月报 adds the month's satisfaction
 * summary (consultants' scores, benchmark, factors).
 */
export function reportSummaryJob(db: Database, clock: Clock, logger: Logger, store: SummaryStore, kind: SummaryKind, baseUrl: string): CalendarJob {
  const plan = PLANS[kind];
  return {
    name: `report-${kind}:${store.id}`, cron: plan.cron(store), timeZone: store.timeZone, missed: 'catch-up', graceMs: plan.graceMs,
    async run(slot) {
      const period = plan.period(slot, store.timeZone);
      const now = clock.now();
      const { name: storeName } = await db.store.findUniqueOrThrow({ where: { id: store.id }, select: { name: true } });
      const report = await buildReport(db, { stores: [{ id: store.id, timeZone: store.timeZone }], period, consultantId: null, now });
      let text = summaryText(kind, report, storeName, reportLink(baseUrl, period));
      if (kind === 'month') text += `\n\n${monthlySummaryText(await monthlyConsultantScores(db, store.id, period.start.slice(0, 7), store.timeZone), storeName)}`;
      const sendAt = new Date(Math.max(slot.getTime(), now.getTime()));
      const queued = await db.$transaction(async (tx) => {
        let count = 0;
        for (const staffId of await recipients(tx, store.id, kind)) {
          if (await enqueueIntent(tx, {
            dedupeKey: `report:${kind}:${store.id}:${period.start}:${staffId}`, storeId: store.id, staffId, purpose: 'STAFF', kind: `report_${kind}`,
            message: { kind: 'text', text }, sendAt, expiresAt: new Date(sendAt.getTime() + plan.staleMs),
          })) count += 1;
        }
        return count;
      });
      logger.info({ storeId: store.id, kind, period: period.start, queued }, 'report summary queued');
    },
  };
}

/** The three summaries of a store. */
export function reportSummaryJobs(db: Database, clock: Clock, logger: Logger, store: SummaryStore, baseUrl: string): CalendarJob[] {
  return (['day', 'week', 'month'] as const).map((kind) => reportSummaryJob(db, clock, logger, store, kind, baseUrl));
}
