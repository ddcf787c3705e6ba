import { CronExpressionParser } from 'cron-parser';

/** A job that runs on a calendar (daily digest, birthday scan, reports, housekeeping). */
export interface CalendarJob {
  /** Unique; the key of its `CronFire` row. */
  name: string;
  /** The store the job works for: its admins hear when a slot fails for good (else FireOptions.alertStoreId's). */
  storeId?: string;
  /** Five-field cron expression in the job's time zone, e.g. `30 3 * * *`. */
  cron: string;
  timeZone: string;
  /**
   * Slots missed while the bot was down: `catch-up` fires once, for the latest missed slot;
   * `skip` drops a slot older than `graceMs` (a digest at noon is worse than none).
   */
  missed: 'catch-up' | 'skip';
  graceMs: number;
  /** Runs for one slot. Must be idempotent (dedupe keys): a run that throws or is cut short by a crash is run again. */
  run(slot: Date): Promise<void>;
}

/** The latest slot of the job's schedule at or before `now`. */
export function latestSlot(job: Pick<CalendarJob, 'cron' | 'timeZone'>, now: Date): Date {
  return CronExpressionParser.parse(job.cron, { currentDate: new Date(now.getTime() + 1), tz: job.timeZone }).prev().toDate();
}

/** The first slot of the job's schedule after `now` (when it runs next). */
export function nextSlot(job: Pick<CalendarJob, 'cron' | 'timeZone'>, now: Date): Date {
  return CronExpressionParser.parse(job.cron, { currentDate: now, tz: job.timeZone }).next().toDate();
}

/** Throws a message naming the job when its cron expression or time zone is invalid. */
export function validateCalendarJob(job: Pick<CalendarJob, 'name' | 'cron' | 'timeZone'>): void {
  try {
    latestSlot(job, new Date());
  } catch (error) {
    throw new Error(`Calendar job "${job.name}": invalid schedule "${job.cron}" in ${job.timeZone}: ${(error as Error).message}`);
  }
}
