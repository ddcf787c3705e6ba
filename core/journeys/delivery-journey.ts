import type { DatabaseTx } from '../db/open-database.ts';
import { cancelWaitingIntents } from '../outbox/intent-transitions.ts';
import { parseJourneySettings } from './journey-settings.ts';
import { customerVariables, formatLocalDate, formatLocalTime, queueJourneyMessage } from './journey-message.ts';
import { addDays, atLocalTime, endOfLocalDay, localDate } from './local-time.ts';
import { renderTemplate, templateBody } from './templates.ts';
import { scheduleSurvey } from '../surveys/schedule-survey.ts';
import { surveyTexts } from '../surveys/survey-texts.ts';

const HOUR_MS = 3600_000;

/** The order facts the delivery journey plans from. */
export interface OrderFacts {
  id: string;
  storeId: string;
  customerId: string;
  consultantId: string | null;
  model: string;
  deliveryAt: Date;
}

const reminderKey = (hours: number, order: Pick<OrderFacts, 'id' | 'deliveryAt'>) => `predelivery${hours}:${order.id}:${order.deliveryAt.toISOString()}`;

/**
 * Queues the reminders before the handover that are still ahead (72 h and 24 h by default):
 * a delivery 30 h away gets only the 24 h one. Each expires when the next one is due (the last
 * an hour before the handover). Keys carry the delivery time, so a new date means new keys.
 */
export async function queueDeliveryReminders(tx: DatabaseTx, order: OrderFacts, now: Date): Promise<string[]> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: order.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const { locale, variables } = await customerVariables(tx, order.storeId, order.customerId, order.consultantId);
  const hoursBefore = [...settings.deliveryReminderHours].sort((a, b) => b - a);
  const queued: string[] = [];
  for (const [i, hours] of hoursBefore.entries()) {
    const sendAt = new Date(order.deliveryAt.getTime() - hours * HOUR_MS);
    if (sendAt <= now) continue;
    const next = hoursBefore[i + 1];
    const expiresAt = next === undefined ? new Date(order.deliveryAt.getTime() - HOUR_MS) : new Date(order.deliveryAt.getTime() - next * HOUR_MS);
    const key = reminderKey(hours, order);
    await queueJourneyMessage(tx, {
      dedupeKey: key, storeId: order.storeId, customerId: order.customerId,
      kind: i === hoursBefore.length - 1 ? 'delivery_reminder_24h' : 'delivery_reminder_72h',
      purpose: 'SERVICE', locale, sendAt, expiresAt, reviveCancelled: true,
      variables: { ...variables, model: order.model, deliveryTime: formatLocalTime(order.deliveryAt, store.timeZone, locale) },
    });
    queued.push(key);
  }
  return queued;
}

/** Cancels the order's reminders that have not gone out (a new date, a cancelled order, an early handover). */
export async function cancelDeliveryReminders(tx: DatabaseTx, orderId: string): Promise<number> {
  return cancelWaitingIntents(tx, { dedupeKey: { startsWith: 'predelivery' }, AND: [{ dedupeKey: { contains: `:${orderId}:` } }] }, 'delivery rescheduled, cancelled or done');
}

/**
 * After the handover: thanks within 24 h, the delivery check (the delivery survey, 1–10) within
 * 72 h, and the first-service reminder (days before the due date, at the greeting hour in the
 * store's time zone).
 */
export async function queueAfterDelivery(tx: DatabaseTx, order: OrderFacts, deliveredAt: Date): Promise<void> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: order.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const { locale, variables } = await customerVariables(tx, order.storeId, order.customerId, order.consultantId);
  const base = { storeId: order.storeId, customerId: order.customerId, purpose: 'SERVICE' as const, locale, variables: { ...variables, model: order.model } };
  const at = (hours: number) => new Date(deliveredAt.getTime() + hours * HOUR_MS);
  await queueJourneyMessage(tx, { ...base, dedupeKey: `deliverythanks:${order.id}`, kind: 'delivery_thanks', sendAt: at(settings.deliveryThanksDelayHours), expiresAt: at(24) });
  const checkBody = await templateBody(tx, order.storeId, 'delivery_check', locale);
  await scheduleSurvey(tx, {
    kind: 'DELIVERY', subjectId: order.id, storeId: order.storeId, customerId: order.customerId, consultantId: order.consultantId,
    sendAt: at(settings.deliveryCheckDelayHours), expiresAt: at(72),
    question: (l) => surveyTexts(l).askDeliveryScore(renderTemplate(checkBody, base.variables)),
  });
  const dueDate = addDays(localDate(deliveredAt, store.timeZone), settings.firstServiceAfterDays);
  const reminderDate = addDays(dueDate, -settings.firstServiceReminderDaysBefore);
  await queueJourneyMessage(tx, {
    ...base, dedupeKey: `firstservice:${order.id}`, kind: 'first_service_reminder',
    variables: { ...base.variables, serviceDueDate: formatLocalDate(dueDate, locale) },
    sendAt: atLocalTime(reminderDate, settings.greetingTime, store.timeZone), expiresAt: endOfLocalDay(dueDate, store.timeZone),
  });
}
