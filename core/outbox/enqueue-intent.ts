import { randomInt } from 'node:crypto';
import { Prisma } from '../db/generated/client.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { queryRows } from '../db/raw-sql.ts';
import type { ChannelName, MessagePurpose, OutboundMessage } from '../messages.ts';
import { nextEnqueueSeq } from './enqueue-seq.ts';
import { laneOf } from './lane.ts';

/** A message to send later; becomes one MessageIntent row. */
export interface NewIntent {
  /** Unique per logical message, e.g. `thanks:<visitId>`: inserting it twice is a no-op. */
  dedupeKey: string;
  storeId: string;
  customerId?: string;
  staffId?: string;
  /** The channel and address to use, when known; otherwise reach is planned at send time. */
  channel?: ChannelName;
  address?: string;
  purpose: MessagePurpose;
  kind: string;
  message: OutboundMessage;
  /** The template variables `message` was rendered from: what an SMS template fills its parameters from. */
  variables?: Readonly<Record<string, string>>;
  sendAt: Date;
  expiresAt: Date;
  /** Higher wins when marketing messages to one customer collide on a day. */
  priority?: number;
  /** Re-arm the key if it was cancelled (e.g. a delivery moved back to its first date). */
  reviveCancelled?: boolean;
}

/** Rows per INSERT: 19 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts an intent, in the caller's transaction when `db` is one (so the domain change and the
 * message it causes commit together), else on its own commit. An existing key is left as it is
 * (or, with `reviveCancelled`, a cancelled one is re-armed with the new content); returns whether
 * anything was written.
 */
export async function enqueueIntent(db: Database | DatabaseTx, intent: NewIntent): Promise<boolean> {
  return (await enqueueIntents(db, [intent]))[0] === true;
}

/**
 * Inserts several intents as `enqueueIntent` does each, in one statement per
 * ROWS_PER_STATEMENT (one INSERT, no read: the key's unique index settles duplicates); returns
 * for each whether it was written. They are queued in the order given (`enqueueSeq`), so a
 * chat's messages due at one instant go out in that order; a key given twice counts once.
 */
export async function enqueueIntents(db: Database | DatabaseTx, intents: readonly NewIntent[]): Promise<boolean[]> {
  const now = new Date();
  const first = new Map<string, number>();
  intents.forEach((intent, i) => {
    if (!first.has(intent.dedupeKey)) first.set(intent.dedupeKey, i);
  });
  // Numbered in the order given before they are split by kind of statement.
  const unique = [...first.values()].map((i) => ({ intent: intents[i] as NewIntent, seq: nextEnqueueSeq() }));
  const written = new Set<string>();
  for (const revive of [false, true]) {
    const group = unique.filter(({ intent }) => (intent.reviveCancelled === true) === revive);
    for (let start = 0; start < group.length; start += ROWS_PER_STATEMENT) {
      const rows = await queryRows(db, insertStatement(group.slice(start, start + ROWS_PER_STATEMENT), revive, now));
      for (const row of rows) written.add(String(row.dedupeKey));
    }
  }
  return intents.map((intent, i) => first.get(intent.dedupeKey) === i && written.has(intent.dedupeKey));
}

/** What re-arming a cancelled key replaces: the content, the due time and the place in its line. */
const REVIVE = Prisma.sql`
  ON CONFLICT ("dedupeKey") DO UPDATE SET
    "payload" = "excluded"."payload", "variables" = "excluded"."variables", "sendAt" = "excluded"."sendAt", "nextAttemptAt" = "excluded"."nextAttemptAt",
    "enqueueSeq" = "excluded"."enqueueSeq", "lane" = "excluded"."lane", "expiresAt" = "excluded"."expiresAt", "priority" = "excluded"."priority",
    "state" = 'PENDING', "attempts" = 0, "paceWaits" = 0, "lastError" = NULL, "updatedAt" = "excluded"."updatedAt"
  WHERE "MessageIntent"."state" = 'CANCELLED'`;

function insertStatement(intents: readonly { intent: NewIntent; seq: bigint }[], revive: boolean, now: Date): Prisma.Sql {
  const values = intents.map(({ intent, seq }) => Prisma.sql`(
    ${newIntentId()}, ${intent.dedupeKey}, ${intent.storeId}, ${intent.customerId ?? null}, ${intent.staffId ?? null},
    ${intent.channel ?? null}, ${intent.address ?? null}, ${intent.purpose}, ${intent.kind},
    ${JSON.stringify(intent.message)}, ${intent.variables ? JSON.stringify(intent.variables) : null},
    ${intent.sendAt}, ${intent.sendAt}, ${seq},
    ${intent.channel && intent.address ? laneOf(intent.channel, intent.address) : null},
    ${intent.expiresAt}, ${intent.priority ?? 0}, ${now}, ${now})`);
  // A message for a known chat joins its line now (`lane`); others when the dispatcher finds their chat.
  return Prisma.sql`
    INSERT INTO "MessageIntent" ("id", "dedupeKey", "storeId", "customerId", "staffId", "channel", "address", "purpose", "kind", "payload", "variables",
      "sendAt", "nextAttemptAt", "enqueueSeq", "lane", "expiresAt", "priority", "createdAt", "updatedAt")
    VALUES ${Prisma.join(values)}
    ${revive ? REVIVE : Prisma.sql`ON CONFLICT ("dedupeKey") DO NOTHING`}
    RETURNING "dedupeKey"`;
}

let idCounter = 0;
const base36 = (n: number, width: number): string => n.toString(36).padStart(width, '0');

/**
 * A new row id shaped like the ids Prisma makes (cuid: 25 characters of [0-9a-z]): the time
 * first, so new rows go to the end of the id index (as their time-ordered neighbours in the other
 * indexes do) rather than to a random page of it; then a counter and 62 random bits. Short
 * enough to double as a platform's idempotency key (WeCom kf's msgid takes 32).
 */
function newIntentId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  return `c${base36(Date.now(), 8)}${base36(idCounter, 4)}${base36(randomInt(36 ** 6), 6)}${base36(randomInt(36 ** 6), 6)}`;
}
