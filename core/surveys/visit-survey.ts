import type { DatabaseTx } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import { addDays, atLocalTime, localDate } from '../journeys/local-time.ts';
import { scheduleSurvey } from './schedule-survey.ts';
import { surveyTexts } from './survey-texts.ts';

/**
 * Plans the visit survey (满意度回访) in the registration's transaction: the day after the
 * visit at the store's survey time (10:00), open for 48 h, one reminder; skipped when the
 * customer is already due a survey within the repeat window.
 */
export async function scheduleVisitSurvey(tx: DatabaseTx, visit: { id: string; storeId: string; customerId: string; consultantId: string | null; visitedAt: Date }): Promise<string | null> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: visit.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const sendAt = atLocalTime(addDays(localDate(visit.visitedAt, store.timeZone), 1), settings.visitSurveyTime, store.timeZone);
  return scheduleSurvey(tx, {
    kind: 'VISIT', subjectId: visit.id, storeId: visit.storeId, customerId: visit.customerId, consultantId: visit.consultantId,
    sendAt, expiresAt: new Date(sendAt.getTime() + settings.visitSurveyExpiryHours * 3600_000),
    question: (locale) => surveyTexts(locale).askVisitScore(store.name),
  });
}
