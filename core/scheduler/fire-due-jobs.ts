import type { Clock } from '../clock.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { raiseAlert } from '../outbox/alerts.ts';
import { latestSlot, type CalendarJob } from './calendar-job.ts';

/** What happened to one job on one look. */
export type FireResult = {
  job: string;
  slot: Date;
  /**
   * fired: ran and completed the slot · retrying: failed, tried again later · failed: failed
   * for the last time, slot given up with an alert · waiting: a failed slot's retry is not due
   * yet · taken: another instance runs it or ran it · skipped: missed while down, dropped by
   * rule · baseline: first sight of the job · idle: the job's `hasWork` found nothing to do, so
   * nothing was run or recorded (the next look runs the latest slot if there is work by then).
   */
  outcome: 'fired' | 'retrying' | 'failed' | 'waiting' | 'taken' | 'skipped' | 'baseline' | 'idle';
};

/** How a failing job is retried. */
export interface JobRetryPolicy {
  /** Waits before the 2nd, 3rd, … attempt; one attempt more than waits in all. */
  delaysMs: number[];
  /** How long one run may take before another instance takes it to have crashed. */
  leaseMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_JOB_RETRY: JobRetryPolicy = { delaysMs: [MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE], leaseMs: 15 * MINUTE };

export interface FireOptions {
  /** The store whose admins hear about a job that failed for good, unless the job names its own. */
  alertStoreId?: string;
  retry?: JobRetryPolicy;
}

type CronRow = { lastSlot: Date; failures: number; retryAt: Date | null; leaseUntil: Date | null };

/**
 * Runs each job whose latest slot has not completed. The ticker only says "look now"; the
 * `CronFire` row says what is due. A run is leased by compare-and-set, so a slot runs on one
 * instance at a time, and the slot is marked done only when the run succeeds: a job that throws
 * (a locked database, one store's bad data) is tried again after a pause, and after its last
 * attempt the slot is given up with an alert to the admins. A run whose instance died (its
 * lease lapsed) counts as a failed attempt, so a job that crashes the process cannot loop. A
 * job seen for the first time starts from its latest slot (run only if within its grace). A job
 * whose `hasWork` answers false is not looked at further (its row is not even read).
 */
export async function fireDueJobs(db: Database, clock: Clock, logger: Logger, jobs: CalendarJob[], options: FireOptions = {}): Promise<FireResult[]> {
  const results: FireResult[] = [];
  // One read for every job's row (a dealer group has hundreds of jobs, looked at every minute);
  // a row another instance changes meanwhile is caught by fireSlot's compare-and-set.
  const rows = new Map((await db.cronFire.findMany({ where: { job: { in: jobs.map((job) => job.name) } } })).map((row) => [row.job, row]));
  for (const job of jobs) {
    const now = clock.now();
    const slot = latestSlot(job, now);
    let row = rows.get(job.name) ?? null;
    if (row && row.lastSlot >= slot) continue;
    if (job.hasWork && !(await job.hasWork(now))) {
      results.push({ job: job.name, slot, outcome: 'idle' });
      continue;
    }
    if (!row) {
      const outcome = await firstSight(db, job, slot, now);
      if (outcome) {
        results.push({ job: job.name, slot, outcome });
        continue;
      }
      row = await db.cronFire.findUniqueOrThrow({ where: { job: job.name } });
    }
    results.push({ job: job.name, slot, outcome: await fireSlot({ db, clock, logger, options }, job, slot, row) });
  }
  return results;
}

/** A job's first look: a baseline row; the slot is taken as done when it is already stale. Null: go on and run it. */
async function firstSight(db: Database, job: CalendarJob, slot: Date, now: Date): Promise<'taken' | 'baseline' | null> {
  const late = now.getTime() - slot.getTime() > job.graceMs;
  const created = await db.$executeRaw`INSERT INTO "CronFire" ("job", "lastSlot", "firedAt", "failures") VALUES (${job.name}, ${late ? slot : new Date(0)}, ${now}, 0) ON CONFLICT DO NOTHING`;
  if (created === 0) return 'taken';
  return late ? 'baseline' : null;
}

interface FireContext { db: Database; clock: Clock; logger: Logger; options: FireOptions }

/** Leases the slot by compare-and-set on the row as read, runs it, and records the result. */
async function fireSlot(c: FireContext, job: CalendarJob, slot: Date, row: CronRow): Promise<FireResult['outcome']> {
  const { db, clock } = c;
  const retry = c.options.retry ?? DEFAULT_JOB_RETRY;
  const now = clock.now();
  if (row.leaseUntil && row.leaseUntil > now) return 'taken';
  if (row.retryAt && row.retryAt > now) return 'waiting';
  const late = now.getTime() - slot.getTime() > job.graceMs;
  const asRead = { job: job.name, lastSlot: row.lastSlot, leaseUntil: row.leaseUntil };
  if (late && job.missed === 'skip') {
    const taken = await db.cronFire.updateMany({ where: asRead, data: { lastSlot: slot, firedAt: now, failures: 0, retryAt: null, leaseUntil: null } });
    if (taken.count === 0) return 'taken';
    c.logger.warn({ job: job.name, slot }, 'calendar slot missed while down; skipped by rule');
    return 'skipped';
  }
  // A lease left behind is a run whose instance died: it counts as a failed attempt.
  const failures = row.failures + (row.leaseUntil ? 1 : 0);
  if (failures > retry.delaysMs.length) return giveUp(c, job, slot, asRead, `its instance stopped during ${failures} runs`);
  const leaseUntil = new Date(now.getTime() + retry.leaseMs);
  const taken = await db.cronFire.updateMany({ where: asRead, data: { leaseUntil, failures } });
  if (taken.count === 0) return 'taken';
  const mine = { job: job.name, leaseUntil };
  try {
    await job.run(slot);
  } catch (error) {
    c.logger.error({ err: error, job: job.name, slot, attempt: failures + 1 }, 'calendar job failed');
    const message = (error as Error).message ?? String(error);
    if (failures + 1 > retry.delaysMs.length) return giveUp(c, job, slot, mine, message);
    const retryAt = new Date(clock.now().getTime() + (retry.delaysMs[failures] ?? 0));
    await db.cronFire.updateMany({ where: mine, data: { failures: failures + 1, retryAt, leaseUntil: null } });
    return 'retrying';
  }
  await db.cronFire.updateMany({ where: mine, data: { lastSlot: slot, firedAt: clock.now(), failures: 0, retryAt: null, leaseUntil: null } });
  return 'fired';
}

/** The last attempt failed: the slot is given up (the next one runs as usual) and the admins are told. */
async function giveUp(c: FireContext, job: CalendarJob, slot: Date, where: Prisma.CronFireWhereInput, reason: string): Promise<'failed' | 'taken'> {
  const now = c.clock.now();
  return c.db.$transaction(async (tx) => {
    const done = await tx.cronFire.updateMany({ where, data: { lastSlot: slot, firedAt: now, failures: 0, retryAt: null, leaseUntil: null } });
    if (done.count === 0) return 'taken';
    const storeId = job.storeId ?? c.options.alertStoreId;
    if (storeId) {
      await raiseAlert(tx, { storeId, kind: 'calendar_job_failed', message: `定时任务 ${job.name}（${slot.toISOString()}）多次失败，已放弃本次：${reason.slice(0, 300)}`, now });
    }
    return 'failed';
  });
}
