import { DateTime } from 'luxon';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { nextSlot, type CalendarJob } from '../scheduler/calendar-job.ts';
import { erasePersonalData } from './erase-personal-data.ts';

const DAY_MS = 24 * 3600_000;
/** Customers anonymized per transaction: short transactions, so chats are not held up at night. */
const BATCH = 50;

/** The store whose calendar runs the job, and how long unconverted leads are kept. */
export interface RetentionSettings {
  storeId: string;
  timeZone: string;
  /** DATA_RETENTION_MONTHS: what the privacy notice promises. */
  months: number;
}

/** The last contact a customer must have had after `at` to be kept: `months` earlier, by the store's calendar. */
export function retentionCutoff(at: Date, settings: Pick<RetentionSettings, 'months' | 'timeZone'>): Date {
  return DateTime.fromJSDate(at, { zone: settings.timeZone }).minus({ months: settings.months }).toJSDate();
}

/**
 * Unconverted leads whose last contact is before `cutoff`: not erased yet; no order unless
 * cancelled before the cutoff (a buyer's data serve the car's after-sales care); and no contact
 * since — no visit, no message from any of their chats, no follow-up by staff, no survey answer,
 * no ticket, no consent given or withdrawn. (Every customer is created by a registration, whose
 * visit and consents carry its time.)
 */
export function retentionCandidates(cutoff: Date): Prisma.CustomerWhereInput {
  const since = { gte: cutoff };
  return {
    erasedAt: null,
    orders: { none: { OR: [{ status: { not: 'CANCELLED' } }, { orderedAt: since }, { cancelledAt: since }] } },
    visits: { none: { visitedAt: since } },
    identities: { none: { lastSeenAt: since } },
    leads: { none: { followUps: { some: { at: since } } } },
    surveys: { none: { scoredAt: since } },
    tickets: { none: { createdAt: since } },
    consents: { none: { recordedAt: since } },
  };
}

/** The job's schedule: nightly at 03:00, before the housekeeping. */
const CRON = '0 3 * * *';

/** How many customers the next run would anonymize, as things stand now (the admin page's dry run). */
export async function retentionDryRun(db: Database, clock: Clock, settings: RetentionSettings): Promise<{ runAt: Date; customers: number }> {
  const runAt = nextSlot({ cron: CRON, timeZone: settings.timeZone }, clock.now());
  return { runAt, customers: await db.customer.count({ where: retentionCandidates(retentionCutoff(runAt, settings)) }) };
}

/**
 * Anonymizes the customers retentionCandidates names for the slot (erasePersonalData, audited
 * with reason "retention" per customer), each one checked again in its own transaction so a
 * customer who wrote in the meantime is kept; and blanks held registrations older than the cutoff
 * that nobody confirmed. Idempotent: a run cut short is finished by the retry.
 */
export async function anonymizeExpired(db: Database, clock: Clock, settings: RetentionSettings, slot: Date): Promise<{ customers: number; pending: number }> {
  const cutoff = retentionCutoff(slot, settings);
  const where = retentionCandidates(cutoff);
  let customers = 0;
  for (;;) {
    const batch = await db.customer.findMany({ where, select: { id: true }, orderBy: { id: 'asc' }, take: BATCH });
    if (batch.length === 0) break;
    customers += await db.$transaction(async (tx) => {
      let erased = 0;
      for (const { id } of batch) {
        if ((await tx.customer.count({ where: { AND: [{ id }, where] } })) === 0) continue;
        await erasePersonalData(tx, { customerId: id, storeId: settings.storeId, actorStaffId: null, reason: 'retention', requestId: null, now: clock.now() });
        erased += 1;
      }
      return erased;
    });
  }
  const pending = await db.$transaction(async (tx) => {
    const blanked = await tx.pendingRegistration.updateMany({
      where: { createdAt: { lt: cutoff }, phone: { not: '' } },
      data: { name: '', phone: '', request: '{}', chatId: null },
    });
    await tx.pendingRegistration.updateMany({ where: { createdAt: { lt: cutoff }, resolvedAt: null }, data: { resolvedAt: clock.now() } });
    if (blanked.count > 0) {
      await recordAudit(tx, { storeId: settings.storeId, actorStaffId: null, action: 'pending_registrations.anonymized', entity: 'PendingRegistration', entityId: '*', details: { count: blanked.count, before: cutoff.toISOString() }, at: clock.now() });
    }
    return blanked.count;
  });
  return { customers, pending };
}

/** The nightly retention job (DATA_RETENTION_MONTHS after the last contact); a missed night is caught up. */
export function retentionJob(db: Database, clock: Clock, logger: Logger, settings: RetentionSettings): CalendarJob {
  return {
    name: 'data-retention',
    cron: CRON,
    timeZone: settings.timeZone,
    missed: 'catch-up',
    graceMs: DAY_MS,
    async run(slot) {
      const done = await anonymizeExpired(db, clock, settings, slot);
      logger.info({ ...done, months: settings.months }, 'data retention done');
    },
  };
}
