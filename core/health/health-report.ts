import type { Clock } from '../clock.ts';
import { unappliedMigrations } from '../db/migration-status.ts';
import type { Database } from '../db/open-database.ts';
import { nextClaimableAt } from '../outbox/claim-intents.ts';
import { instanceOfLeaseOwner, OUTBOX_DISPATCHER_ROLE } from '../scheduler/leader-role.ts';

/**
 * When the health check reports a problem. The outbox is behind when a message that could be
 * sent now (due, at the front of its chat's line, not waiting for a rate limit) has waited longer
 * than `outboxLagMs`: no instance is dispatching, or the one that is cannot keep up. Longer than
 * a dispatcher's takeover after a crash (15 s), so a takeover alone does not fail the check.
 */
export const HEALTH_LIMITS = { outboxLagMs: 60_000, inboxAgeMs: 60_000, databaseTimeoutMs: 2_000 } as const;

/** What `GET /healthz` answers: figures only, never a message, an address or a setting's value. */
export interface HealthReport {
  healthy: boolean;
  checkedAt: string;
  /** What is wrong, one sentence each; empty when healthy. */
  problems: string[];
  database: { reachable: boolean; latencyMs: number | null };
  /** Committed migrations this database has not applied (null: could not tell). */
  migrations: { current: boolean | null; pending: string[] };
  outbox: {
    /** The instance holding the dispatcher role (null: none holds it now). */
    dispatcher: string | null;
    /** How long the longest-waiting sendable message has waited for a dispatcher (0: none waits). */
    lagMs: number | null;
    /** The due time of the oldest message still to send (including those waiting behind others in their chat or for a rate limit). */
    oldestDueAt: string | null;
    oldestDueAgeMs: number | null;
  };
  inbox: { backlog: number | null; oldestAgeMs: number | null };
}

const ACTIVE_STATES = ['PENDING', 'SENDING', 'FAILED_RETRYING'] as const;

/** Rejects after `ms`: a database that hangs must not hang the health check. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Looks at the database, its migrations, the outbox and the inbox. Healthy when the database
 * answers, every committed migration is applied and neither the outbox nor the inbox is behind
 * (HEALTH_LIMITS).
 */
export async function healthReport(db: Database, clock: Clock): Promise<HealthReport> {
  const now = clock.now();
  const report: HealthReport = {
    healthy: false, checkedAt: now.toISOString(), problems: [],
    database: { reachable: false, latencyMs: null },
    migrations: { current: null, pending: [] },
    outbox: { dispatcher: null, lagMs: null, oldestDueAt: null, oldestDueAgeMs: null },
    inbox: { backlog: null, oldestAgeMs: null },
  };
  const started = Date.now();
  try {
    await withTimeout(db.$queryRawUnsafe('SELECT 1'), HEALTH_LIMITS.databaseTimeoutMs);
    report.database = { reachable: true, latencyMs: Date.now() - started };
  } catch {
    report.problems.push('the database does not answer');
    return report;
  }
  try {
    await withTimeout(readFigures(db, now, report), HEALTH_LIMITS.databaseTimeoutMs);
  } catch {
    report.problems.push('the database did not answer every question of the check in time');
  }
  report.healthy = report.problems.length === 0;
  return report;
}

async function readFigures(db: Database, now: Date, report: HealthReport): Promise<void> {
  const [pending, lease, claimableAt, oldestDue, backlog, oldestInbound] = await Promise.all([
    unappliedMigrations(db),
    db.lease.findUnique({ where: { name: OUTBOX_DISPATCHER_ROLE } }),
    nextClaimableAt(db),
    db.messageIntent.findFirst({ where: { state: { in: [...ACTIVE_STATES] }, sendAt: { lte: now } }, orderBy: { sendAt: 'asc' }, select: { sendAt: true } }),
    db.inboundUpdate.count({ where: { handledAt: null } }),
    db.inboundUpdate.findFirst({ where: { handledAt: null }, orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } }),
  ]);
  report.migrations = { current: pending.length === 0, pending };
  if (pending.length > 0) report.problems.push(`${pending.length} committed migration(s) not applied to the database`);

  const lagMs = claimableAt ? Math.max(0, now.getTime() - claimableAt.getTime()) : 0;
  report.outbox = {
    dispatcher: lease && lease.expiresAt > now ? instanceOfLeaseOwner(lease.owner) : null,
    lagMs,
    oldestDueAt: oldestDue?.sendAt.toISOString() ?? null,
    oldestDueAgeMs: oldestDue ? now.getTime() - oldestDue.sendAt.getTime() : null,
  };
  if (lagMs > HEALTH_LIMITS.outboxLagMs) report.problems.push(`the outbox is ${Math.round(lagMs / 1000)} s behind (limit ${HEALTH_LIMITS.outboxLagMs / 1000} s)`);

  const oldestAgeMs = oldestInbound ? now.getTime() - oldestInbound.receivedAt.getTime() : null;
  report.inbox = { backlog, oldestAgeMs };
  if (oldestAgeMs !== null && oldestAgeMs > HEALTH_LIMITS.inboxAgeMs) {
    report.problems.push(`${backlog} inbound message(s) wait, the oldest for ${Math.round(oldestAgeMs / 1000)} s (limit ${HEALTH_LIMITS.inboxAgeMs / 1000} s)`);
  }
}
