import type { Database } from '../db/open-database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { ChannelName } from '../messages.ts';

/** One platform update, as the channel's intake received it. */
export interface InboundUpdateInput {
  channel: ChannelName;
  /** The platform's id for the update (Telegram `update_id`), unique per channel. */
  updateId: string;
  /** The chat it belongs to: one chat's updates are handled in order. */
  chatId: string;
  /** The raw update, JSON. */
  payload: string;
  receivedAt: Date;
}

/**
 * Stores an update in the durable inbox before the platform is told it arrived, so a crash
 * after the acknowledgement loses nothing. A platform that delivers the same update again
 * (a retry after a timeout, a restart before the offset moved) is ignored: returns false.
 */
export async function recordInboundUpdate(db: Database, update: InboundUpdateInput): Promise<boolean> {
  try {
    await db.inboundUpdate.create({ data: update });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
