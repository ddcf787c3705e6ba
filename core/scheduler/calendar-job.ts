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
  /**
   * For a job that looks often and mostly finds nothing (every minute, every 5 minutes): one
   * cheap query answering whether a run at `now` could change anything. False must mean a run
   * would change nothing; a look that gets false is skipped without touching the job's
   * `CronFire` row, so a quiet minute costs that query alone. Missing: every look runs the job.
   */
  hasWork?(now: Date): Promise<boolean>;
}

const MINUTE_MS = 60_000;
/** Slots remembered (each job's latest and next, per minute asked about); the oldest go first. */
const MEMO_LIMIT = 512;
const memo = new Map<string, number>();

/**
 * A schedule's slot for the minute `now` falls in, worked out once per schedule and minute. A
 * five-field cron has whole-minute slots, so every instant of a minute has the same latest and
 * next slot; parsing the expression in its time zone is costly (about 0.2 ms), and every-minute
 * jobs of many stores share their schedule.
 */
function slotOf(direction: 'latest' | 'next', job: Pick<CalendarJob, 'cron' | 'timeZone'>, now: Date): Date {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const key = `${direction} ${minute} ${job.timeZone} ${job.cron}`;
  let slot = memo.get(key);
  if (slot === undefined) {
    const parsed = CronExpressionParser.parse(job.cron, { currentDate: new Date(direction === 'latest' ? (minute + 1) * MINUTE_MS - 1 : minute * MINUTE_MS), tz: job.timeZone });
    slot = (direction === 'latest' ? parsed.prev() : parsed.next()).toDate().getTime();
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
    memo.set(key, slot);
  }
  return new Date(slot);
}

/** The latest slot of the job's schedule at or before `now`. */
export function latestSlot(job: Pick<CalendarJob, 'cron' | 'timeZone'>, now: Date): Date {
  return slotOf('latest', job, now);
}

/** The first slot of the job's schedule after `now` (when it runs next). */
export function nextSlot(job: Pick<CalendarJob, 'cron' | 'timeZone'>, now: Date): Date {
  return slotOf('next', job, now);
}

/** Throws a message naming the job when its cron expression or time zone is invalid. */
export function validateCalendarJob(job: Pick<CalendarJob, 'name' | 'cron' | 'timeZone'>): void {
  try {
    latestSlot(job, new Date());
  } catch (error) {
    throw new Error(`Calendar job "${job.name}": invalid schedule "${job.cron}" in ${job.timeZone}: ${(error as Error).message}`);
  }
}
