import { trendLabel, trendPeriods, type ReportPeriod } from './report-period.ts';
import { during, inWindows, mine, ratio, rescope, type ReportDb, type ReportScope } from './report-scope.ts';

/** The headline figures of one period of a trend. */
export interface TrendPoint {
  label: string;
  period: ReportPeriod;
  registrations: number;
  /** Null in a consultant's own report (the desk's count is the store's). */
  walkInParties: number | null;
  retentionRate: number | null;
  surveysSent: number;
  answerRate: number | null;
  averageScore: number | null;
  followUps: number;
  orders: number;
  handovers: number;
  complaints: number;
}

/** The headline figures of one period, in as few aggregate queries as there are figures. */
async function trendPoint(db: ReportDb, scope: ReportScope, period: ReportPeriod): Promise<TrendPoint> {
  const own = scope.consultantId !== null;
  const sent = inWindows(scope, (w) => ({ storeId: w.storeId, sentAt: during(w), ...mine(scope, 'consultantId') }));
  const [registrations, parties, surveys, answers, followUps, orders, handovers, complaints] = await Promise.all([
    db.visit.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, visitedAt: during(w), ...mine(scope, 'consultantId') })) }),
    own ? null : db.walkInParty.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, at: during(w), withdrawnAt: null })) }),
    db.survey.count({ where: sent }),
    db.survey.aggregate({ where: { AND: [sent, { score: { gte: 1, lte: 10 } }] }, _avg: { score: true }, _count: { score: true } }),
    db.followUp.count({ where: inWindows(scope, (w) => ({ lead: { storeId: w.storeId }, at: during(w), ...mine(scope, 'staffId') })) }),
    db.order.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, orderedAt: during(w), ...mine(scope, 'consultantId') })) }),
    db.order.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, deliveredAt: during(w), status: 'DELIVERED' as const, ...mine(scope, 'consultantId') })) }),
    db.ticket.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, type: 'COMPLAINT' as const, createdAt: during(w), ...mine(scope, 'consultantId') })) }),
  ]);
  const average = answers._avg.score;
  return {
    label: trendLabel(period), period, registrations, walkInParties: parties, retentionRate: parties === null ? null : ratio(registrations, parties),
    surveysSent: surveys, answerRate: ratio(answers._count.score, surveys), averageScore: average === null ? null : Math.round(average * 10) / 10,
    followUps, orders, handovers, complaints,
  };
}

/**
 * The trend behind a report: the headline figures of each period {@link trendPeriods} gives
 * (the last 14 days, 8 weeks or 12 months; a custom period by day or week), oldest first.
 */
export async function trendFigures(db: ReportDb, scope: ReportScope, period: ReportPeriod): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  // One period after another: on SQLite the queries run one at a time anyway, and this keeps memory flat.
  for (const p of trendPeriods(period)) points.push(await trendPoint(db, rescope(scope, p), p));
  return points;
}
