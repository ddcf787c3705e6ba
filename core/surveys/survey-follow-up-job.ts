import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import type { Logger } from '../logger.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { surveyKey } from './schedule-survey.ts';
import { openRecallTicket, RECALL_BELOW } from './tickets.ts';

/** Surveys whose question has gone out become SENT, with the time it went (for response rates). */
async function markSentSurveys(db: Database, storeId: string, now: Date): Promise<void> {
  const due = await db.survey.findMany({ where: { storeId, state: 'SCHEDULED', sendAt: { lte: now } }, select: { id: true } });
  for (const { id } of due) {
    const question = await db.messageIntent.findUnique({ where: { dedupeKey: surveyKey(id) }, select: { state: true, sentAt: true } });
    if (question?.state === 'SENT') await db.survey.updateMany({ where: { id, state: 'SCHEDULED' }, data: { state: 'SENT', sentAt: question.sentAt } });
  }
}

/**
 * Whether the follow-up could do anything at `now`: a survey past its deadline still open, one
 * whose question went out still marked scheduled, or a score below 8 without a ticket (its
 * correction grace is not read here, so a score inside its grace answers yes). One statement, on
 * the indexes of open surveys and of tickets by survey: the every-minute look costs this alone.
 */
export async function surveyFollowUpHasWork(db: Database, storeId: string, now: Date): Promise<boolean> {
  const rows = await db.$queryRaw<{ work: number | bigint }[]>`
    SELECT CASE WHEN
      EXISTS (SELECT 1 FROM "Survey" AS "s" WHERE "s"."storeId" = ${storeId} AND "s"."state" IN ('SCHEDULED', 'SENT', 'ANSWERING') AND "s"."expiresAt" <= ${now})
      OR EXISTS (SELECT 1 FROM "Survey" AS "s" JOIN "MessageIntent" AS "i" ON "i"."dedupeKey" = ${surveyKey('')} || "s"."id"
                  WHERE "s"."storeId" = ${storeId} AND "s"."state" = 'SCHEDULED' AND "s"."sendAt" <= ${now} AND "i"."state" = 'SENT')
      OR EXISTS (SELECT 1 FROM "Survey" AS "s" WHERE "s"."storeId" = ${storeId} AND "s"."score" < ${RECALL_BELOW} AND "s"."scoredAt" <= ${now}
                  AND NOT EXISTS (SELECT 1 FROM "Ticket" AS "t" WHERE "t"."surveyId" = "s"."id"))
    THEN 1 ELSE 0 END AS "work"`;
  return Number(rows[0]?.work ?? 0) === 1;
}

/**
 * Every minute (store time): marks surveys whose question went out as sent, expires surveys past their deadline, and opens the recall ticket
 * for every score below 8 that stands — once the correction grace period has passed, so a
 * customer who corrects 6 to 9 within it is never escalated.
 */
export function surveyFollowUpJob(db: Database, clock: Clock, logger: Logger, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `survey-follow-up:${store.id}`, cron: '* * * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 3600_000,
    hasWork: (now) => surveyFollowUpHasWork(db, store.id, now),
    async run() {
      const now = clock.now();
      const settings = parseJourneySettings((await db.store.findUniqueOrThrow({ where: { id: store.id } })).journeySettings);
      await markSentSurveys(db, store.id, now);
      const expired = await db.survey.updateMany({
        where: { storeId: store.id, state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] }, expiresAt: { lte: now } },
        data: { state: 'EXPIRED' },
      });
      const standing = await db.survey.findMany({
        where: { storeId: store.id, score: { lt: RECALL_BELOW }, scoredAt: { lte: new Date(now.getTime() - settings.surveyCorrectionMinutes * 60_000) }, tickets: { none: {} } },
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
