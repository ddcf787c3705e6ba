import { DateTime } from 'luxon';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import { figuresFromDistribution } from '../surveys/consultant-scores.ts';
import { during, inWindows, mine, type ReportDb, type ReportScope, scoreCounts, storeIds } from './report-scope.ts';

/** The kinds of the reminders before a handover (core/journeys/delivery-journey.ts). */
export const DELIVERY_REMINDER_KINDS = ['delivery_reminder_72h', 'delivery_reminder_24h'];

/** Orders and handovers (交车) of a period. */
export interface DeliveryFigures {
  /** Orders signed, handed over and cancelled in the period. */
  orders: number;
  handovers: number;
  cancelled: number;
  /** Reminders before a handover sent in the period. */
  remindersSent: number;
  /** Delivery surveys sent in the period: answered, average, below 8. */
  surveysSent: number;
  surveysAnswered: number;
  surveyAverage: number | null;
  surveyBelowEight: number;
  /** Cars whose first service (首保) falls due in the period: handed over the store's first-service interval (90 days) earlier. */
  firstServicesDue: number;
}

/**
 * Deliveries: the orders, handovers and cancellations of the period, the reminders sent before
 * handovers, the delivery surveys, and the first services falling due. A consultant's report
 * counts their orders and surveys.
 */
export async function deliveryFigures(db: ReportDb, scope: ReportScope): Promise<DeliveryFigures> {
  const stores = await db.store.findMany({ where: { id: { in: storeIds(scope) } }, select: { id: true, journeySettings: true } });
  const serviceDays = new Map(stores.map((s) => [s.id, parseJourneySettings(s.journeySettings).firstServiceAfterDays]));
  const earlier = (at: Date, zone: string, days: number) => DateTime.fromJSDate(at, { zone }).minus({ days }).toJSDate();
  const orders = (field: 'orderedAt' | 'deliveredAt' | 'cancelledAt') => inWindows(scope, (w) => ({ storeId: w.storeId, [field]: during(w), ...mine(scope, 'consultantId') }));
  const surveysSent = inWindows(scope, (w) => ({ storeId: w.storeId, kind: 'DELIVERY' as const, sentAt: during(w), ...mine(scope, 'consultantId') }));
  const [ordered, handovers, cancelled, remindersSent, sent, byScore, firstServicesDue] = await Promise.all([
    db.order.count({ where: orders('orderedAt') }),
    db.order.count({ where: { AND: [orders('deliveredAt'), { status: 'DELIVERED' }] } }),
    db.order.count({ where: orders('cancelledAt') }),
    db.messageIntent.count({
      where: inWindows(scope, (w) => ({
        storeId: w.storeId, kind: { in: DELIVERY_REMINDER_KINDS }, sentAt: during(w), state: 'SENT' as const,
        ...(scope.consultantId === null ? {} : { customer: { orders: { some: { storeId: w.storeId, consultantId: scope.consultantId } } } }),
      })),
    }),
    db.survey.count({ where: surveysSent }),
    db.survey.groupBy({ by: ['score'], where: { AND: [surveysSent, { score: { not: null } }] }, _count: { _all: true } }),
    db.order.count({
      where: inWindows(scope, (w) => {
        const days = serviceDays.get(w.storeId) ?? 90;
        return { storeId: w.storeId, status: 'DELIVERED' as const, deliveredAt: { gte: earlier(w.from, w.timeZone, days), lt: earlier(w.to, w.timeZone, days) }, ...mine(scope, 'consultantId') };
      }),
    }),
  ]);
  const surveys = figuresFromDistribution(sent, scoreCounts(byScore));
  return {
    orders: ordered, handovers, cancelled, remindersSent,
    surveysSent: surveys.surveysSent, surveysAnswered: surveys.responses, surveyAverage: surveys.average, surveyBelowEight: surveys.belowEight,
    firstServicesDue,
  };
}
