import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ChannelName, MessagePurpose } from '../../core/messages.ts';
import { nextEnqueueSeq } from '../../core/outbox/enqueue-seq.ts';
import { laneOf } from '../../core/outbox/lane.ts';

/** A text message to a known chat, as `enqueueIntent` would store it. */
export interface BulkIntent {
  dedupeKey: string;
  channel: ChannelName;
  address: string;
  purpose: MessagePurpose;
  kind: string;
  text: string;
  sendAt: Date;
  expiresAt: Date;
}

/**
 * Inserts many intents on PostgreSQL in one transaction, 1,000 rows a statement, shaped as
 * `enqueueIntent` shapes them (in its line, creation order kept): a load for a test or a bench
 * of several processes, without Prisma's per-row cost.
 */
export async function insertIntents(client: pg.Client, storeId: string, intents: readonly BulkIntent[]): Promise<void> {
  await client.query('BEGIN');
  try {
    for (let start = 0; start < intents.length; start += 1_000) {
      const values: unknown[] = [];
      const tuples = intents.slice(start, start + 1_000).map((intent) => {
        const p = values.length;
        values.push(`c${randomBytes(12).toString('hex')}`, intent.dedupeKey, storeId, intent.channel, intent.address, intent.purpose, intent.kind,
          JSON.stringify({ kind: 'text', text: intent.text }), intent.sendAt, String(nextEnqueueSeq()), laneOf(intent.channel, intent.address), intent.expiresAt);
        return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}::"Channel", $${p + 5}, $${p + 6}::"MessagePurpose", $${p + 7}, $${p + 8}, $${p + 9}, $${p + 9}, $${p + 10}, $${p + 11}, $${p + 12}, now())`;
      });
      await client.query(`INSERT INTO "MessageIntent" ("id", "dedupeKey", "storeId", "channel", "address", "purpose", "kind", "payload", "sendAt", "nextAttemptAt", "enqueueSeq", "lane", "expiresAt", "updatedAt") VALUES ${tuples.join(', ')}`, values);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
