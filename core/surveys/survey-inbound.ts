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

/**
 * The customer's survey that a reply on this chat belongs to: the latest one whose question has
 * gone out and that is still open, or completed within its store's correction grace period.
 */
async function findOpenSurvey(tx: DatabaseTx, customerId: string, now: Date): Promise<{ survey: Survey; sentAt: Date | null; graceMinutes: number } | null> {
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
    const graceMinutes = parseJourneySettings(store.journeySettings).surveyCorrectionMinutes;
    if (survey.state === 'COMPLETED' && (survey.scoredAt?.getTime() ?? 0) < now.getTime() - graceMinutes * 60_000) continue;
    const question = await tx.messageIntent.findUnique({ where: { dedupeKey: surveyKey(survey.id) }, select: { state: true, sentAt: true } });
    if (question?.state === 'SENT') return { survey, sentAt: question.sentAt, graceMinutes };
  }
  return null;
}

/**
 * Gives a customer's reply to their open survey, if they have one and the reply is for it.
 * Updates the survey, cancels the pending reminder, hands an unclear reply to staff, and
 * returns what to say; null when the message is not a survey answer.
 */
export async function answerOpenSurvey(tx: DatabaseTx, clock: Clock, message: ChatText): Promise<OutboundMessage[] | null> {
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
  if (!identity) return null;
  const now = clock.now();
  const open = await findOpenSurvey(tx, identity.customerId, now);
  if (!open) return null;
  const { survey } = open;
  const step = answerSurvey({ ...survey, locale: survey.locale === 'en' ? 'en' : 'zh-CN' } as SurveyFacts, message.text, now, open.graceMinutes);
  if (!step) return null;
  await tx.survey.update({ where: { id: survey.id }, data: { ...step.update, sentAt: survey.sentAt ?? open.sentAt } });
  await cancelWaitingIntents(tx, { dedupeKey: reminderKey(survey.id) }, 'the customer answered');
  if (step.handToStaff) {
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: survey.customerId } });
    await tx.staffTask.create({
      data: {
        storeId: survey.storeId, staffId: survey.consultantId, customerId: survey.customerId, kind: 'survey_reply', createdAt: now,
        text: `客户${customer.name}（${maskPhone(customer.phone)}）对满意度回访的回复无法自动识别，请电话跟进：\n“${cutText(message.text, 300)}”`,
      },
    });
  }
  return step.replies;
}
