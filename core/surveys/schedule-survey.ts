import type { DatabaseTx } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import { enqueueIntents } from '../outbox/enqueue-intent.ts';
import type { Locale } from '../config.ts';
import { SURVEY_CODE_VARIABLE } from '../outbox/sms-kinds.ts';
import { newSurveyLinkCode } from './survey-link-code.ts';
import { SCORE_CHOICES, surveyTexts } from './survey-texts.ts';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** A survey to plan. */
export interface SurveyPlan {
  kind: 'VISIT' | 'DELIVERY';
  /** The visit or order it asks about. */
  subjectId: string;
  storeId: string;
  customerId: string;
  consultantId: string | null;
  sendAt: Date;
  expiresAt: Date;
  /** The question (with its 1–10 buttons). */
  question(locale: Locale): string;
  /** A re-survey after a recall is asked for on purpose: the repeat window does not apply. */
  ignoreRepeatWindow?: boolean;
}

/** The keys of a survey's question and reminder intents. */
export const surveyKey = (surveyId: string) => `survey:${surveyId}`;
export const reminderKey = (surveyId: string) => `survey-reminder:${surveyId}`;

/**
 * Plans a survey in the caller's transaction: the survey row (with the code of its answer page),
 * its question at `sendAt` and one reminder `surveyReminderHours` later (cancelled by the first answer). Nothing when the same
 * visit or order already has one, or when the customer is due another survey within the
 * store's repeat window. Returns the survey id, or null.
 */
export async function scheduleSurvey(tx: DatabaseTx, plan: SurveyPlan): Promise<string | null> {
  const existing = await tx.survey.findUnique({ where: { kind_subjectId: { kind: plan.kind, subjectId: plan.subjectId } } });
  if (existing) return existing.id;
  const store = await tx.store.findUniqueOrThrow({ where: { id: plan.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const window = settings.surveyRepeatWindowDays * DAY_MS;
  const recent = await tx.survey.count({
    where: { customerId: plan.customerId, sendAt: { gt: new Date(plan.sendAt.getTime() - window), lt: new Date(plan.sendAt.getTime() + window) } },
  });
  if (recent > 0 && !plan.ignoreRepeatWindow) return null;
  const customer = await tx.customer.findUniqueOrThrow({ where: { id: plan.customerId } });
  const locale: Locale = customer.locale === 'en' ? 'en' : 'zh-CN';
  const survey = await tx.survey.create({
    data: {
      storeId: plan.storeId, customerId: plan.customerId, consultantId: plan.consultantId, kind: plan.kind, subjectId: plan.subjectId,
      locale, sendAt: plan.sendAt, expiresAt: plan.expiresAt, linkCode: newSurveyLinkCode(),
    },
  });
  // What an SMS template of the question takes: the answer page's code, never a link (providers refuse links in parameters).
  const variables = { [SURVEY_CODE_VARIABLE]: survey.linkCode as string, storeName: store.name, customerName: customer.name, honorific: customer.name };
  const base = { storeId: plan.storeId, customerId: plan.customerId, purpose: 'SERVICE' as const, expiresAt: plan.expiresAt, variables };
  const kind = plan.kind === 'VISIT' ? 'visit_survey' : 'delivery_survey';
  await enqueueIntents(tx, [
    { ...base, dedupeKey: surveyKey(survey.id), kind, sendAt: plan.sendAt, message: { kind: 'text', text: plan.question(locale), choices: SCORE_CHOICES } },
    {
      ...base, dedupeKey: reminderKey(survey.id), kind: `${kind}_reminder`, sendAt: new Date(plan.sendAt.getTime() + settings.surveyReminderHours * HOUR_MS),
      message: { kind: 'text', text: surveyTexts(locale).reminder, choices: SCORE_CHOICES },
    },
  ]);
  return survey.id;
}
