import { Prisma } from '../db/generated/client.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { queryRows } from '../db/raw-sql.ts';
import { sqlDialect } from '../db/sql-dialect.ts';
import { holdsUp } from './front-of-line.ts';
import type { EndState, LeaseGuard as Guard, SendingItem } from './outbox-store.ts';

/*
 * The guarded state changes of a claimed intent, in SQL (see `OutboxTransaction`). Each applies
 * only while `owner` still holds the lease, so a dispatcher that lost its lease (it was too
 * slow, another one reclaimed the row) changes nothing. Each returns whether it applied.
 */

const where = ({ id, owner }: Guard) => ({ id, leaseOwner: owner });
const released = { leaseOwner: null, leaseExpiresAt: null } as const;
/** A final intent leaves its chat's line, so the next one may go. */
const final = { ...released, nextAttemptAt: null, lane: null } as const;

async function apply(tx: DatabaseTx, guard: Guard, data: Parameters<DatabaseTx['messageIntent']['updateMany']>[0]['data']): Promise<boolean> {
  return (await tx.messageIntent.updateMany({ where: where(guard), data })).count === 1;
}

/**
 * Holds it until `until` (quiet hours, the daily cap, a channel not ready): no attempt is
 * counted, and it is due again only then, so it steps out of its chat's line meanwhile (a
 * marketing message held overnight does not hold up the answers to the customer).
 */
export function snooze(tx: DatabaseTx, guard: Guard, until: Date, reason: string): Promise<boolean> {
  return apply(tx, guard, { ...released, sendAt: until, nextAttemptAt: until, lastError: reason });
}

/**
 * Waits for a rate limit's token until `until`, keeping its place at the front of `lane`;
 * counts the wait (see STALL_PACE_WAITS). Returns the number of waits since its last attempt.
 */
export async function pace(tx: DatabaseTx, guard: Guard, wait: { lane: string; until: Date; now: Date; reason: string }): Promise<number | null> {
  const { lane, until, now, reason } = wait;
  const rows = await queryRows(tx, Prisma.sql`
    UPDATE "MessageIntent"
       SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "nextAttemptAt" = ${until}, "lane" = ${lane}, "paceWaits" = "paceWaits" + 1,
           "lastError" = ${reason}, "updatedAt" = ${now}
     WHERE "id" = ${guard.id} AND "leaseOwner" = ${guard.owner}
    RETURNING "paceWaits"`);
  return rows[0] ? Number(rows[0].paceWaits) : null;
}

/** Lets go of it, due now, in `lane`: another message of that chat goes first; the line brings it back. */
export function release(tx: DatabaseTx, guard: Guard, lane: string, now: Date): Promise<boolean> {
  return apply(tx, guard, { ...released, nextAttemptAt: now, lane });
}

/** Ends it without sending: expired (stale), cancelled (no consent) or dead (undeliverable). */
export function finish(tx: DatabaseTx, guard: Guard, state: EndState, reason: string): Promise<boolean> {
  return apply(tx, guard, { ...final, state, lastError: reason });
}

/**
 * Cancels the intents matching `where` that have not gone out (pending or waiting to retry),
 * in the caller's transaction: a rescheduled delivery, an opt-out, an answered survey. A
 * dispatcher that holds one of them loses its lease, so it cannot send it after all.
 */
export async function cancelWaitingIntents(tx: DatabaseTx, filter: Prisma.MessageIntentWhereInput, reason: string): Promise<number> {
  const cancelled = await tx.messageIntent.updateMany({
    where: { AND: [filter, { state: { in: ['PENDING', 'FAILED_RETRYING'] } }] },
    data: { ...final, state: 'CANCELLED', lastError: reason },
  });
  return cancelled.count;
}

/** Schedules another attempt at `at`. */
export function markRetry(tx: DatabaseTx, guard: Guard, at: Date, error: string): Promise<boolean> {
  return apply(tx, guard, { ...released, state: 'FAILED_RETRYING', nextAttemptAt: at, lastError: error });
}

/**
 * Commits `SENDING` before the calls, for every send of a batch in one statement (the hot
 * path): one more attempt each, and a lease after which a send counts as interrupted. Returns
 * the ids it applied to: those whose lease `owner` still holds and that nothing outside the
 * batch holds up in their chat's line (`holdsUp`: a message routed into the line meanwhile, one
 * being sent by another dispatcher); a send that was interrupted is settled regardless. (At
 * this point the only rows `owner` holds are the batch's sends: holds, waits and let-gos were
 * released before, so "outside the batch" is "not leased by `owner`".)
 */
export async function markSendingMany(
  tx: DatabaseTx, owner: string, now: Date, leaseMs: number, items: SendingItem[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const postgres = sqlDialect(tx) === 'postgresql';
  if (postgres) await lockLanes(tx, items.map((i) => i.lane));
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const values = Prisma.join(items.map((i) => Prisma.sql`(${i.id}, ${i.channel}, ${i.address}, ${i.lane})`));
  // PostgreSQL types VALUES of parameters as text, and text is not assigned to an enum column implicitly.
  const channel = postgres ? Prisma.sql`CAST("v"."channel" AS "Channel")` : Prisma.sql`"v"."channel"`;
  const rows = await queryRows(tx, Prisma.sql`
    WITH "v"("intentId", "channel", "address", "lane") AS (VALUES ${values})
    UPDATE "MessageIntent" AS "x"
       SET "state" = 'SENDING', "attempts" = "attempts" + 1, "leaseExpiresAt" = ${leaseUntil}, "nextAttemptAt" = ${leaseUntil},
           "channel" = ${channel}, "address" = "v"."address", "lane" = "v"."lane", "paceWaits" = 0, "updatedAt" = ${now}
      FROM "v"
     WHERE "x"."id" = "v"."intentId" AND "x"."leaseOwner" = ${owner}
       AND ("x"."state" = 'SENDING' OR NOT EXISTS (
         SELECT 1 FROM "MessageIntent" AS "e"
          WHERE ("e"."leaseOwner" IS NULL OR "e"."leaseOwner" <> ${owner}) AND ${holdsUp('e', 'x', Prisma.raw('"v"."lane"'))}))
    RETURNING "id"`);
  return new Set(rows.map((r) => String(r.id)));
}

/**
 * PostgreSQL: holds the batch's lines until the transaction ends, so the line check above is
 * what SQLite's single writer makes it there: another dispatcher marking a send in one of these
 * chats waits, then sees this batch's `SENDING` rows (each statement reads what was committed
 * before it began). Locks are taken in one order, so two batches cannot deadlock on them.
 */
async function lockLanes(tx: DatabaseTx, lanes: string[]): Promise<void> {
  const sorted = [...new Set(lanes)].sort();
  await tx.$queryRaw`
    SELECT pg_advisory_xact_lock(hashtextextended("l"."lane", 0))::text
      FROM (SELECT unnest(${sorted}::text[]) AS "lane" ORDER BY 1) AS "l"`;
}

/** Records deliveries with the platforms' message ids, in one statement; returns the ids it applied to. */
export async function markSentMany(tx: DatabaseTx, owner: string, now: Date, items: { id: string; providerMessageId: string }[]): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const values = Prisma.join(items.map((i) => Prisma.sql`(${i.id}, ${i.providerMessageId})`));
  const rows = await queryRows(tx, Prisma.sql`
    WITH "v"("id", "providerMessageId") AS (VALUES ${values})
    UPDATE "MessageIntent"
       SET "state" = 'SENT', "sentAt" = ${now}, "providerMessageId" = "v"."providerMessageId", "nextAttemptAt" = NULL, "lane" = NULL, "lastError" = NULL,
           "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
      FROM "v"
     WHERE "MessageIntent"."id" = "v"."id" AND "MessageIntent"."leaseOwner" = ${owner}
    RETURNING "MessageIntent"."id"`);
  return new Set(rows.map((r) => String(r.id)));
}
