import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { nextEnqueueSeq } from './enqueue-seq.ts';
import type { IntentState } from '../db/generated/enums.ts';

export const INTENT_STATES: IntentState[] = ['PENDING', 'SENDING', 'SENT', 'FAILED_RETRYING', 'DEAD', 'EXPIRED', 'CANCELLED', 'UNKNOWN'];

/** An intent that needs an admin: dead or unknown. */
export interface ProblemIntent {
  id: string;
  kind: string;
  dedupeKey: string;
  state: IntentState;
  channel: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

/** The outbox at a glance for one store: how many intents are in each state. */
export async function countIntentsByState(db: Database, storeId: string): Promise<Record<IntentState, number>> {
  const groups = await db.messageIntent.groupBy({ by: ['state'], where: { storeId }, _count: { _all: true } });
  const counts = Object.fromEntries(INTENT_STATES.map((s) => [s, 0])) as Record<IntentState, number>;
  for (const group of groups) counts[group.state] = group._count._all;
  return counts;
}

/** Unresolved alerts of a store, newest first. */
export async function listOpenAlerts(db: Database, storeId: string, limit = 100) {
  return db.alert.findMany({ where: { storeId, resolvedAt: null }, orderBy: { createdAt: 'desc' }, take: limit });
}

/** Open tasks of a store (messages staff must forward by hand), oldest first. */
export async function listOpenTasks(db: Database, storeId: string, limit = 100) {
  return db.staffTask.findMany({ where: { storeId, doneAt: null }, orderBy: { createdAt: 'asc' }, take: limit, include: { staff: { select: { name: true } } } });
}

/** Marks a staff task done; false if it is not an open task of the store. */
export async function completeTask(db: Database, clock: Clock, storeId: string, taskId: string): Promise<boolean> {
  return (await db.staffTask.updateMany({ where: { id: taskId, storeId, doneAt: null }, data: { doneAt: clock.now() } })).count === 1;
}

/** What an admin action did. */
export type AdminActionResult = 'done' | 'not_found' | 'not_allowed';

/**
 * Sends a dead, unknown or expired intent again from scratch (attempts reset) and resolves its
 * alerts. For an unknown one the admin accepts that the customer may get it twice.
 */
export async function retryIntent(db: Database, clock: Clock, storeId: string, intentId: string): Promise<AdminActionResult> {
  return adminAction(db, clock, storeId, intentId, ['DEAD', 'UNKNOWN', 'EXPIRED'], {
    state: 'PENDING', attempts: 0, paceWaits: 0, nextAttemptAt: clock.now(), sendAt: clock.now(), enqueueSeq: nextEnqueueSeq(), expiresAt: new Date(clock.now().getTime() + 24 * 3600_000), lastError: null,
  });
}

/** Cancels an intent that is not being sent right now, and resolves its alerts. */
export async function cancelIntent(db: Database, clock: Clock, storeId: string, intentId: string): Promise<AdminActionResult> {
  return adminAction(db, clock, storeId, intentId, ['PENDING', 'FAILED_RETRYING', 'DEAD', 'UNKNOWN'], {
    state: 'CANCELLED', nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null, lane: null, lastError: 'cancelled by an admin',
  });
}

async function adminAction(
  db: Database, clock: Clock, storeId: string, intentId: string, from: IntentState[],
  data: Parameters<Database['messageIntent']['updateMany']>[0]['data'],
): Promise<AdminActionResult> {
  return db.$transaction(async (tx) => {
    const changed = await tx.messageIntent.updateMany({ where: { id: intentId, storeId, state: { in: from } }, data });
    if (changed.count === 0) {
      return (await tx.messageIntent.count({ where: { id: intentId, storeId } })) === 0 ? 'not_found' : 'not_allowed';
    }
    await tx.alert.updateMany({ where: { intentId, resolvedAt: null }, data: { resolvedAt: clock.now() } });
    return 'done';
  });
}
