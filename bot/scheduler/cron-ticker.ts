import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { Logger } from '../../core/logger.ts';
import type { CalendarJob } from '../../core/scheduler/calendar-job.ts';
import { fireDueJobs, type FireOptions } from '../../core/scheduler/fire-due-jobs.ts';

/** Every job's schedule is a five-field cron expression, so a look at the start of each minute sees every slot. */
const EVERY_MINUTE = '* * * * *';

/**
 * node-cron as the ticker: a look at the start of every minute (and one at start-up, which
 * catches up what was missed while the bot was down) asks for the jobs as they are now and lets
 * fireDueJobs decide from the database which slots are due, including retries of failed runs.
 */
export class CronTicker {
  #task: ScheduledTask | null = null;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly jobs: () => Promise<CalendarJob[]>,
    private readonly options: FireOptions = {},
  ) {}

  start(): void {
    this.#tick();
    this.#task = cron.schedule(EVERY_MINUTE, () => this.#tick(), { name: 'calendar-jobs', noOverlap: true });
  }

  /** Stops ticking and waits for a job that is running. */
  async stop(): Promise<void> {
    await this.#task?.stop();
    await this.#running;
  }

  #tick(): void {
    this.#running = this.#running
      .then(async () => fireDueJobs(this.db, this.clock, this.logger, await this.jobs(), this.options))
      .catch((error: unknown) => this.logger.error({ err: error }, 'calendar tick failed'));
  }
}
