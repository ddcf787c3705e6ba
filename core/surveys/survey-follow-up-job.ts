import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import type { Logger } from '../logger.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { surveyKey } from './schedule-survey.ts';
import { openRecallTicket } from './tickets.ts';

/** Surveys whose question has gone out become SENT, with the time it went (for response rates). */
async function markSentSurveys(db: Database, storeId: string, now: Date): Promise<void> {
  const due = await db.survey.findMany({ where: { storeId, state: 'SCHEDULED', sendAt: { lte: now } }, select: { id: true } });
  for (const { id } of due) {
    const question = await db.messageIntent.findUnique({ where: { dedupeKey: surveyKey(id) }, select: { state: true, sentAt: true } });
    if (question?.state === 'SENT') await db.survey.updateMany({ where: { id, state: 'SCHEDULED' }, data: { state: 'SENT', sentAt: question.sentAt } });
  }
}

/**
 * Every minute (store time): marks surveys whose question went out as sent, expires surveys past their deadline, and opens the recall ticket
 * for every score below 8 that stands — once the correction grace period has passed, so a
 * customer who corrects 6 to 9 within it is never escalated.
 */
export function surveyFollowUpJob(db: Database, clock: Clock, logger: Logger, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `survey-follow-up:${store.id}`, cron: '* * * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 3600_000,
    async run() {
      const now = clock.now();
      const settings = parseJourneySettings((await db.store.findUniqueOrThrow({ where: { id: store.id } })).journeySettings);
      await markSentSurveys(db, store.id, now);
      const expired = await db.survey.updateMany({
        where: { storeId: store.id, state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] }, expiresAt: { lte: now } },
        data: { state: 'EXPIRED' },
      });
      const standing = await db.survey.findMany({
        where: { storeId: store.id, score: { lt: 8 }, scoredAt: { lte: new Date(now.getTime() - settings.surveyCorrectionMinutes * 60_000) }, tickets: { none: {} } },
      });
      for (const survey of standing) {
        await db.$transaction((tx) => openRecallTicket(tx, clock, {
          storeId: store.id, customerId: survey.customerId, consultantId: survey.consultantId, surveyId: survey.id,
          score: survey.score as number, factor: survey.factor, comment: survey.comment,
        }));
      }
      if (expired.count > 0 || standing.length > 0) logger.info({ storeId: store.id, expired: expired.count, recalls: standing.length }, 'survey follow-up');
    },
  };
}
