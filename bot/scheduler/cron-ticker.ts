import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { Logger } from '../../core/logger.ts';
import type { CalendarJob } from '../../core/scheduler/calendar-job.ts';
import { fireDueJobs, type FireOptions } from '../../core/scheduler/fire-due-jobs.ts';

/** How often failed jobs are looked at again for their retry (their own schedules may be daily or monthly). */
const RETRY_LOOK = '* * * * *';

/**
 * node-cron as the ticker: each job's own schedule, in its own time zone, says "look now", and
 * a look every minute picks up retries of failed runs; fireDueJobs decides from the database
 * what is due. One catch-up look runs at start.
 */
export class CronTicker {
  readonly #tasks: ScheduledTask[] = [];
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly jobs: CalendarJob[],
    private readonly options: FireOptions = {},
  ) {}

  start(): void {
    this.#tick();
    for (const job of this.jobs) {
      this.#tasks.push(cron.schedule(job.cron, () => this.#tick(), { timezone: job.timeZone, name: job.name, noOverlap: true }));
    }
    this.#tasks.push(cron.schedule(RETRY_LOOK, () => this.#tick(), { name: 'calendar-job-retries', noOverlap: true }));
  }

  /** Stops ticking and waits for a job that is running. */
  async stop(): Promise<void> {
    for (const task of this.#tasks) await task.stop();
    await this.#running;
  }

  #tick(): void {
    this.#running = this.#running
      .then(() => fireDueJobs(this.db, this.clock, this.logger, this.jobs, this.options))
      .catch((error: unknown) => this.logger.error({ err: error }, 'calendar tick failed'));
  }
}
