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

/** Every calendar job the bot runs for a store, each on its own schedule in the store's time zone. */
export function storeCalendarJobs(
  db: Database, clock: Clock, logger: Logger,
  store: { id: string; timeZone: string; staffHoursStart: string; staffHoursEnd: string },
  retentionMonths: number,
  publicBaseUrl: string,
): CalendarJob[] {
  return [
    retentionJob(db, clock, logger, { storeId: store.id, timeZone: store.timeZone, months: retentionMonths }),
    housekeepingJob(db, clock, logger, store.timeZone),
    birthdayJob(db, clock, logger, store),
    holidayJob(db, clock, logger, store),
    surveyFollowUpJob(db, clock, logger, store),
    ticketEscalationJob(db, clock, logger, store),
    ...reportSummaryJobs(db, clock, logger, store, publicBaseUrl),
    morningDigestJob(db, clock, logger, store),
    overdueNudgeJob(db, clock, logger, store),
    endOfDayMinimumJob(db, clock, logger, store),
    staleLeadsJob(db, clock, logger, store),
  ];
}
