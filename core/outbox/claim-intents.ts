import type { Database } from '../db/open-database.ts';

/**
 * Claims up to `limit` due intents for `owner` with one guarded UPDATE and returns their ids.
 * A claim moves `nextAttemptAt` to the lease's end, so an intent whose dispatcher died becomes
 * claimable again by itself when the lease runs out. SQLite runs the statement under its
 * write lock, so two dispatchers never claim the same row. On PostgreSQL the inner SELECT
 * gets `FOR UPDATE SKIP LOCKED`; nothing else changes.
 */
export async function claimDueIntents(db: Database, owner: string, now: Date, leaseMs: number, limit: number): Promise<string[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "MessageIntent"
       SET "leaseOwner" = ${owner}, "leaseExpiresAt" = ${leaseUntil}, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = ${now}
     WHERE "id" IN (
       SELECT "id" FROM "MessageIntent"
        WHERE "nextAttemptAt" <= ${now}
        ORDER BY "nextAttemptAt", "createdAt", "id"
        LIMIT ${limit})
    RETURNING "id"`;
  return rows.map((row) => row.id);
}
