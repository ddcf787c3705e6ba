import type { DatabaseTx } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import { addDays, atLocalTime, localDate } from '../journeys/local-time.ts';
import { scheduleSurvey } from './schedule-survey.ts';
import { surveyTexts } from './survey-texts.ts';

/**
 * After a recall or complaint is closed with "survey again": the customer is asked once more
 * the next day at the store's survey hour, whatever the repeat window says (it was asked for).
 */
export async function scheduleReSurvey(tx: DatabaseTx, ticket: { id: string; storeId: string; customerId: string; consultantId: string | null }, now: Date): Promise<string | null> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: ticket.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const sendAt = atLocalTime(addDays(localDate(now, store.timeZone), 1), settings.visitSurveyTime, store.timeZone);
  return scheduleSurvey(tx, {
    kind: 'VISIT', subjectId: `resurvey:${ticket.id}`, storeId: ticket.storeId, customerId: ticket.customerId, consultantId: ticket.consultantId,
    sendAt, expiresAt: new Date(sendAt.getTime() + settings.visitSurveyExpiryHours * 3600_000), ignoreRepeatWindow: true,
    question: (locale) => surveyTexts(locale).askReSurvey(store.name),
  });
}
