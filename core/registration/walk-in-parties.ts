import { DateTime } from 'luxon';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { endOfLocalDay, localDate } from '../journeys/local-time.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';

/** A count may be withdrawn by the one who made it within this long (a mistaken press). */
export const WITHDRAW_WITHIN_MS = 10 * 60_000;

/** The day's count at the desk. */
export interface WalkInDay {
  date: string;
  parties: number;
  registrations: number;
}

/** Why a count was refused. */
export class WalkInError extends Error {
  constructor(readonly code: 'not_allowed' | 'key_invalid' | 'nothing_to_withdraw', message: string) {
    super(message);
    this.name = 'WalkInError';
  }
}

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

function authorize(actor: Principal): void {
  if (!may(actor, 'voucher.desk', storeSubject(actor))) throw new WalkInError('not_allowed', 'only staff of the store count walk-in parties');
}

/**
 * Counts one walk-in party (a group of visitors who came in together) at the actor's store, now,
 * audited (`walk_in.counted`). `requestKey` is the desk page's one-time form key: the same key
 * again (a double click, a resent form) counts nothing more. Returns whether it counted.
 */
export async function countWalkInParty(db: Database, clock: Clock, actor: Principal, requestKey: string): Promise<boolean> {
  authorize(actor);
  if (!KEY.test(requestKey)) throw new WalkInError('key_invalid', 'requestKey must be 16–64 characters of A–Z, a–z, 0–9, _ or -');
  const now = clock.now();
  try {
    await db.$transaction(async (tx) => {
      const party = await tx.walkInParty.create({ data: { storeId: actor.storeId, staffId: actor.staffId, requestKey, at: now } });
      await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'walk_in.counted', entity: 'WalkInParty', entityId: party.id, details: {}, at: now });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Withdraws the actor's latest count of the last {@link WITHDRAW_WITHIN_MS} (a party counted by
 * mistake), audited (`walk_in.withdrawn`). Refused when there is none.
 */
export async function withdrawWalkInParty(db: Database, clock: Clock, actor: Principal): Promise<void> {
  authorize(actor);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const latest = await tx.walkInParty.findFirst({
      where: { storeId: actor.storeId, staffId: actor.staffId, withdrawnAt: null, at: { gt: new Date(now.getTime() - WITHDRAW_WITHIN_MS) } },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
    });
    if (!latest) throw new WalkInError('nothing_to_withdraw', `there is no count of yours from the last ${WITHDRAW_WITHIN_MS / 60_000} minutes to withdraw`);
    await tx.walkInParty.update({ where: { id: latest.id }, data: { withdrawnAt: now } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'walk_in.withdrawn', entity: 'WalkInParty', entityId: latest.id, details: { countedAt: latest.at.toISOString() }, at: now });
  });
}

/** Today's walk-in parties (withdrawn ones left out) and registrations at a store, in its time zone. */
export async function walkInToday(db: Database | DatabaseTx, store: { id: string; timeZone: string }, now: Date): Promise<WalkInDay> {
  const date = localDate(now, store.timeZone);
  const range = { gte: DateTime.fromISO(date, { zone: store.timeZone }).toJSDate(), lt: endOfLocalDay(date, store.timeZone) };
  const [parties, registrations] = await Promise.all([
    db.walkInParty.count({ where: { storeId: store.id, at: range, withdrawnAt: null } }),
    db.visit.count({ where: { storeId: store.id, visitedAt: range } }),
  ]);
  return { date, parties, registrations };
}
