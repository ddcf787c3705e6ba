import { Prisma, type MessageIntent } from '../db/generated/client.ts';
import type { Database } from '../db/open-database.ts';
import { asDate, queryRows } from '../db/raw-sql.ts';
import { sqlDialect } from '../db/sql-dialect.ts';
import { holdsUp } from './front-of-line.ts';
import { messageIntentFrom } from './intent-rows.ts';

/**
 * The line rule, for an intent `i`: it may be taken only when no other active intent of its
 * chat (`lane`) is being sent or was due before it (by `sendAt`, then creation order, then id). So a chat
 * gets one message at a time, in the order they became due, across batches, restarts and
 * dispatchers. An intent whose chat is not known yet (lane null) is free: planning routes it.
 * An intent left `SENDING` by a dispatcher that died is always free once its lease ends: it
 * went out (or may have), so it is settled first, whatever joined the line meanwhile.
 */
const FRONT_OF_LINE = Prisma.sql`("i"."state" = 'SENDING' OR NOT EXISTS (SELECT 1 FROM "MessageIntent" AS "e" WHERE ${holdsUp('e', 'i')}))`;

/**
 * Claims up to `limit` due intents at the front of their lines for `owner` with one guarded
 * UPDATE and returns them as claimed (RETURNING: no second read). A claim moves `nextAttemptAt` to the lease's end, so an intent
 * whose dispatcher died becomes claimable again by itself when the lease runs out. SQLite runs
 * the statement under its write lock, so two dispatchers never claim the same row. On
 * PostgreSQL the inner SELECT locks the rows it picks and skips those another dispatcher is
 * claiming (`FOR UPDATE SKIP LOCKED`): dispatchers claim side by side without waiting or
 * taking the same row; nothing else changes.
 */
export async function claimDueIntents(db: Database, owner: string, now: Date, leaseMs: number, limit: number): Promise<MessageIntent[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await queryRows(db, Prisma.sql`
    UPDATE "MessageIntent"
       SET "leaseOwner" = ${owner}, "leaseExpiresAt" = ${leaseUntil}, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = ${now}
     WHERE "id" IN (
       SELECT "i"."id" FROM "MessageIntent" AS "i"
        WHERE "i"."nextAttemptAt" <= ${now} AND ${FRONT_OF_LINE}
        ORDER BY "i"."nextAttemptAt", "i"."createdAt", "i"."id"
        LIMIT ${limit}
        ${sqlDialect(db) === 'postgresql' ? Prisma.sql`FOR UPDATE OF "i" SKIP LOCKED` : Prisma.empty})
    RETURNING *`);
  return rows.map(messageIntentFrom);
}

/** How many intents a claim at `now` could take (due and at the front of their lines). */
export async function countClaimable(db: Database, now: Date): Promise<number> {
  const rows = await queryRows(db, Prisma.sql`
    SELECT COUNT(*) AS "n" FROM "MessageIntent" AS "i" WHERE "i"."nextAttemptAt" <= ${now} AND ${FRONT_OF_LINE}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * When the next claim could find something: the earliest `nextAttemptAt` of an intent at the
 * front of its line (in the past when one is claimable now), or null when nothing is waiting.
 * The dispatcher sleeps until then instead of polling blindly.
 */
export async function nextClaimableAt(db: Database): Promise<Date | null> {
  const rows = await queryRows(db, Prisma.sql`
    SELECT "i"."nextAttemptAt" FROM "MessageIntent" AS "i"
     WHERE "i"."nextAttemptAt" IS NOT NULL AND ${FRONT_OF_LINE}
     ORDER BY "i"."nextAttemptAt", "i"."createdAt", "i"."id"
     LIMIT 1`);
  return rows[0] ? asDate(rows[0].nextAttemptAt) : null;
}
