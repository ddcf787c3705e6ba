import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { latestSlot, type CalendarJob } from './calendar-job.ts';

/** What happened to one job on one tick. */
export type FireResult = { job: string; slot: Date; outcome: 'fired' | 'skipped' | 'baseline' | 'taken' | 'failed' };

/**
 * Fires each job whose latest slot has not been fired yet. The `CronFire` row is advanced by
 * compare-and-set before the job runs, so a slot fires once even with two instances or a
 * restart; the ticker only says "look now", the database says what is due. A job seen for the
 * first time starts from its latest slot (fired only if within its grace period).
 */
export async function fireDueJobs(db: Database, clock: Clock, logger: Logger, jobs: CalendarJob[]): Promise<FireResult[]> {
  const results: FireResult[] = [];
  for (const job of jobs) {
    const now = clock.now();
    const slot = latestSlot(job, now);
    const late = now.getTime() - slot.getTime() > job.graceMs;
    const row = await db.cronFire.findUnique({ where: { job: job.name } });
    if (row && row.lastSlot >= slot) continue;
    if (!row) {
      const baseline = late ? slot : new Date(0);
      const created = await db.$executeRaw`INSERT OR IGNORE INTO "CronFire" ("job", "lastSlot", "firedAt") VALUES (${job.name}, ${baseline}, ${now})`;
      if (created === 0 || late) {
        results.push({ job: job.name, slot, outcome: created === 0 ? 'taken' : 'baseline' });
        continue;
      }
    }
    const skip = late && job.missed === 'skip';
    const previous = row?.lastSlot ?? new Date(0);
    const taken = await db.cronFire.updateMany({ where: { job: job.name, lastSlot: previous }, data: { lastSlot: slot, firedAt: now } });
    if (taken.count === 0) {
      results.push({ job: job.name, slot, outcome: 'taken' });
    } else if (skip) {
      logger.warn({ job: job.name, slot }, 'calendar slot missed while down; skipped by rule');
      results.push({ job: job.name, slot, outcome: 'skipped' });
    } else {
      results.push({ job: job.name, slot, outcome: await runJob(job, slot, logger) });
    }
  }
  return results;
}

async function runJob(job: CalendarJob, slot: Date, logger: Logger): Promise<'fired' | 'failed'> {
  try {
    await job.run(slot);
    return 'fired';
  } catch (error) {
    logger.error({ err: error, job: job.name, slot }, 'calendar job failed');
    return 'failed';
  }
}
