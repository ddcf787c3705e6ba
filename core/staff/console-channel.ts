import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { releaseHeldStaffMessages } from '../outbox/reach.ts';

/**
 * The web staff console as a staff chat channel: staff messages (digests, nudges, alerts) for
 * someone with no messenger linked are delivered to their console, where they read them the
 * next time it is open. It rides on the web chat's delivery (WebChatMessage rows), under an
 * address no browser session can take (sessions are base64url, without a colon).
 */
export function consoleAddress(staffId: string): string {
  return `console:${staffId}`;
}

/**
 * Links (or refreshes) the staff member's console when they open it; on the first link,
 * messages that were waiting for a channel are released at once.
 */
export async function linkConsole(db: Database, clock: Clock, staffId: string): Promise<void> {
  const now = clock.now();
  const externalId = consoleAddress(staffId);
  const existing = await db.staffChannelLink.findUnique({ where: { channel_externalId: { channel: 'WEB', externalId } } });
  if (existing) {
    await db.staffChannelLink.update({ where: { id: existing.id }, data: { lastSeenAt: now, blockedAt: null } });
    return;
  }
  await db.$transaction(async (tx) => {
    await tx.staffChannelLink.upsert({
      where: { channel_externalId: { channel: 'WEB', externalId } },
      create: { staffId, channel: 'WEB', externalId, linkedAt: now, lastSeenAt: now },
      update: { lastSeenAt: now },
    });
    await releaseHeldStaffMessages(tx, staffId, now);
  });
}

/** How many delivered messages the console shows when it opens. */
export const CONSOLE_HISTORY = 20;

/**
 * Staff messages delivered to the console: with `after`, the next ones after that id (oldest
 * first, at most 50); without, the latest {@link CONSOLE_HISTORY}, oldest first.
 */
export async function consoleMessages(db: Database, staffId: string, after: number | undefined): Promise<{ id: number; payload: string }[]> {
  const chatId = consoleAddress(staffId);
  if (after !== undefined) {
    return db.webChatMessage.findMany({ where: { chatId, id: { gt: after } }, orderBy: { id: 'asc' }, take: 50, select: { id: true, payload: true } });
  }
  const latest = await db.webChatMessage.findMany({ where: { chatId }, orderBy: { id: 'desc' }, take: CONSOLE_HISTORY, select: { id: true, payload: true } });
  return latest.reverse();
}
