import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { CalendarJob } from './calendar-job.ts';

const DAY_MS = 24 * 3600_000;

/** How long the texts of finished message intents and web chat messages are kept. */
export const KEEP_MESSAGE_TEXT_DAYS = 90;
export const KEEP_WEB_CHAT_DAYS = 30;
/** How long the raw platform updates of the inbox (what customers typed, their profile) are kept once handled. */
export const KEEP_INBOX_DAYS = 30;
/** What a finished intent's payload becomes; the row and its dedupe key stay, so it never re-sends. */
export const REDACTED_PAYLOAD = '{"redacted":true}';

/**
 * Nightly clean-up (03:30 store time): blanks the text of delivered, expired and cancelled
 * intents and the raw updates of handled inbox rows, and deletes old web chat messages and the
 * one-time code rows older than a day (their limits look back a day), so message texts and the
 * numbers people typed are not kept longer than needed. Dead and unknown intents keep their text until an admin
 * deals with them; an inbox row keeps its ids (a platform's redelivery is still recognized).
 */
export function housekeepingJob(db: Database, clock: Clock, logger: Logger, timeZone: string): CalendarJob {
  return {
    name: 'housekeeping',
    cron: '30 3 * * *',
    timeZone,
    missed: 'catch-up',
    graceMs: DAY_MS,
    async run() {
      const now = clock.now().getTime();
      const intents = await db.messageIntent.updateMany({
        where: { state: { in: ['SENT', 'EXPIRED', 'CANCELLED'] }, updatedAt: { lt: new Date(now - KEEP_MESSAGE_TEXT_DAYS * DAY_MS) }, payload: { not: REDACTED_PAYLOAD } },
        data: { payload: REDACTED_PAYLOAD },
      });
      const chats = await db.webChatMessage.deleteMany({ where: { createdAt: { lt: new Date(now - KEEP_WEB_CHAT_DAYS * DAY_MS) } } });
      const inbox = await db.inboundUpdate.updateMany({
        where: { handledAt: { lt: new Date(now - KEEP_INBOX_DAYS * DAY_MS) }, payload: { not: REDACTED_PAYLOAD } },
        data: { payload: REDACTED_PAYLOAD },
      });
      const codes = await db.phoneCode.deleteMany({ where: { createdAt: { lt: new Date(now - DAY_MS) } } });
      logger.info({ intents: intents.count, webChatMessages: chats.count, inboxUpdates: inbox.count, phoneCodes: codes.count }, 'housekeeping done');
    },
  };
}
