import type { Clock } from '../../core/clock.ts';
import { retentionJob } from '../../core/consent/retention.ts';
import type { Database } from '../../core/db/open-database.ts';
import { birthdayJob, holidayJob } from '../../core/journeys/greeting-jobs.ts';
import { endOfDayMinimumJob, morningDigestJob, overdueNudgeJob } from '../../core/leads/nudge-jobs.ts';
import { staleLeadsJob } from '../../core/leads/stale-leads-job.ts';
import type { Logger } from '../../core/logger.ts';
import { reportSummaryJobs } from '../../core/reports/report-summary-job.ts';
import type { CalendarJob } from '../../core/scheduler/calendar-job.ts';
import { housekeepingJob } from '../../core/scheduler/housekeeping-job.ts';
import { surveyFollowUpJob } from '../../core/surveys/survey-follow-up-job.ts';
import { ticketEscalationJob } from '../../core/surveys/ticket-escalation.ts';
import type { OpenChannel } from '../channels/channel-module.ts';

export type StoreRow = { id: string; timeZone: string; staffHoursStart: string; staffHoursEnd: string };

export interface CalendarJobsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The store set up on first start: its time zone runs the deployment-wide jobs, its audit log records them. */
  homeStoreId: string;
  retentionMonths: number;
  publicBaseUrl: string;
  channels: readonly Pick<OpenChannel, 'calendarJobs'>[];
}

/** Every calendar job the bot runs for one store, each on its own schedule in the store's time zone. */
export function storeCalendarJobs(deps: CalendarJobsDeps, store: StoreRow): CalendarJob[] {
  const { db, clock, logger } = deps;
  const staffHours = { start: store.staffHoursStart, end: store.staffHoursEnd };
  return [
    birthdayJob(db, clock, logger, store),
    holidayJob(db, clock, logger, store),
    surveyFollowUpJob(db, clock, logger, store),
    ticketEscalationJob(db, clock, logger, store),
    ...reportSummaryJobs(db, clock, logger, store, deps.publicBaseUrl),
    morningDigestJob(db, clock, logger, store),
    overdueNudgeJob(db, clock, logger, store),
    endOfDayMinimumJob(db, clock, logger, store),
    staleLeadsJob(db, clock, logger, store),
    ...deps.channels.flatMap((channel) => channel.calendarJobs?.({ id: store.id, timeZone: store.timeZone, staffHours }) ?? []),
  ].map((job) => ({ ...job, storeId: store.id }));
}

/**
 * The jobs as the stores are now: the deployment-wide ones (data retention, housekeeping) in the
 * home store's time zone, and each store's own. Read again at every look, so a store added on
 * /admin/store, or one whose time zone or staff hours changed, runs on its current calendar.
 */
export async function currentCalendarJobs(deps: CalendarJobsDeps): Promise<CalendarJob[]> {
  const stores = await deps.db.store.findMany({ select: { id: true, timeZone: true, staffHoursStart: true, staffHoursEnd: true }, orderBy: { createdAt: 'asc' } });
  const home = stores.find((store) => store.id === deps.homeStoreId) ?? stores[0];
  if (!home) return [];
  return [...deploymentCalendarJobs(deps, home), ...stores.flatMap((store) => storeCalendarJobs(deps, store))];
}

/** The jobs that run once for the whole deployment (all stores), on the home store's calendar. */
export function deploymentCalendarJobs(deps: CalendarJobsDeps, home: StoreRow): CalendarJob[] {
  const { db, clock, logger } = deps;
  return [
    retentionJob(db, clock, logger, { storeId: home.id, timeZone: home.timeZone, months: deps.retentionMonths }),
    housekeepingJob(db, clock, logger, home.timeZone),
  ].map((job) => ({ ...job, storeId: home.id }));
}
