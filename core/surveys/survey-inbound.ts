import type { Clock } from '../clock.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { cancelWaitingIntents } from '../outbox/intent-transitions.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import type { ChatText, OutboundMessage } from '../messages.ts';
import { maskPhone } from '../customers/phone.ts';
import { answerSurvey, type SurveyFacts } from './answer-survey.ts';
import { reminderKey, surveyKey } from './schedule-survey.ts';
import { cutText } from '../text/sanitize-text.ts';

type Survey = Awaited<ReturnType<DatabaseTx['survey']['findFirstOrThrow']>>;

/** The longest correction grace period a store may set (journey settings allow up to 60 minutes). */
const MAX_GRACE_MINUTES = 60;

/** A survey that takes answers now, with when its question went out and its store's correction grace period. */
export interface OpenSurvey {
  survey: Survey;
  sentAt: Date | null;
  graceMinutes: number;
}

/**
 * Whether `survey` takes answers now: its question has gone out and it is still open, or it was
 * completed within its store's correction grace period.
 */
async function openNow(tx: DatabaseTx, survey: Survey, journeySettings: string, now: Date): Promise<OpenSurvey | null> {
  const graceMinutes = parseJourneySettings(journeySettings).surveyCorrectionMinutes;
  if (survey.state === 'COMPLETED' && (survey.scoredAt?.getTime() ?? 0) < now.getTime() - graceMinutes * 60_000) return null;
  if (survey.state !== 'COMPLETED' && !(['SCHEDULED', 'SENT', 'ANSWERING'].includes(survey.state) && survey.expiresAt > now)) return null;
  const question = await tx.messageIntent.findUnique({ where: { dedupeKey: surveyKey(survey.id) }, select: { state: true, sentAt: true } });
  return question?.state === 'SENT' ? { survey, sentAt: question.sentAt, graceMinutes } : null;
}

/** The customer's survey that a reply on a chat belongs to: the latest one that takes answers now. */
async function findOpenSurvey(tx: DatabaseTx, customerId: string, now: Date): Promise<OpenSurvey | null> {
  const candidates = await tx.survey.findMany({
    where: {
      customerId,
      OR: [
        { state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] }, expiresAt: { gt: now } },
        { state: 'COMPLETED', scoredAt: { gte: new Date(now.getTime() - MAX_GRACE_MINUTES * 60_000) } },
      ],
    },
    include: { store: { select: { journeySettings: true } } },
    orderBy: { sendAt: 'desc' },
  });
  for (const { store, ...survey } of candidates) {
    const open = await openNow(tx, survey, store.journeySettings, now);
    if (open) return open;
  }
  return null;
}

/** The survey whose answer page has this code, if it takes answers now (see `openNow`). */
export async function findSurveyByLink(tx: DatabaseTx, linkCode: string, now: Date): Promise<OpenSurvey | null> {
  const found = await tx.survey.findUnique({ where: { linkCode }, include: { store: { select: { journeySettings: true } } } });
  if (!found) return null;
  const { store, ...survey } = found;
  return openNow(tx, survey, store.journeySettings, now);
}

/**
 * Gives a customer's reply to an open survey: updates the survey, cancels the pending reminder,
 * hands an unclear reply to staff, and returns what to say; null when the reply is not an answer
 * to it. The one survey logic for answers by chat and by the answer page.
 */
export async function giveSurveyAnswer(tx: DatabaseTx, clock: Clock, open: OpenSurvey, reply: string): Promise<OutboundMessage[] | null> {
  const { survey } = open;
  const now = clock.now();
  const step = answerSurvey({ ...survey, locale: survey.locale === 'en' ? 'en' : 'zh-CN' } as SurveyFacts, reply, now, open.graceMinutes);
  if (!step) return null;
  await tx.survey.update({ where: { id: survey.id }, data: { ...step.update, sentAt: survey.sentAt ?? open.sentAt } });
  await cancelWaitingIntents(tx, { dedupeKey: reminderKey(survey.id) }, 'the customer answered');
  if (step.handToStaff) {
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: survey.customerId } });
    await tx.staffTask.create({
      data: {
        storeId: survey.storeId, staffId: survey.consultantId, customerId: survey.customerId, kind: 'survey_reply', createdAt: now,
        text: `客户${customer.name}（${maskPhone(customer.phone)}）对满意度回访的回复无法自动识别，请电话跟进：\n“${cutText(reply, 300)}”`,
      },
    });
  }
  return step.replies;
}

/**
 * Gives a customer's reply on a chat to their open survey, if they have one and the reply is
 * for it; null when the message is not a survey answer.
 */
export async function answerOpenSurvey(tx: DatabaseTx, clock: Clock, message: ChatText): Promise<OutboundMessage[] | null> {
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
  if (!identity) return null;
  const open = await findOpenSurvey(tx, identity.customerId, clock.now());
  return open ? giveSurveyAnswer(tx, clock, open, message.text) : null;
}
