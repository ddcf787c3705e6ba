import { callbackFigures, type CallbackFigures } from './callback-figures.ts';
import { complaintFigures, type ComplaintFigures } from './complaint-figures.ts';
import { consultantFigures, type ConsultantFigures } from './consultant-figures.ts';
import { deliveryFigures, type DeliveryFigures } from './delivery-figures.ts';
import { funnelFigures, type FunnelFigures } from './funnel-figures.ts';
import { messageFigures, type MessageFigures } from './message-figures.ts';
import { receptionFigures, type ReceptionFigures } from './reception-figures.ts';
import { periodLabel, previousPeriod, type ReportPeriod } from './report-period.ts';
import { rescope, scopeOf, type ReportDb, type ReportScope, type ReportStore } from './report-scope.ts';
import { trendFigures, type TrendPoint } from './trend-figures.ts';

/** Every figure of a report: a period, a set of stores, and perhaps one consultant. */
export interface Report {
  period: ReportPeriod;
  periodLabel: string;
  previous: ReportPeriod;
  scope: ReportScope;
  reception: ReceptionFigures;
  callbacks: CallbackFigures;
  consultants: ConsultantFigures;
  funnel: FunnelFigures;
  deliveries: DeliveryFigures;
  complaints: ComplaintFigures;
  /** Null in a consultant's own report. */
  messages: MessageFigures | null;
}

/** What to report on. */
export interface ReportRequest {
  stores: readonly ReportStore[];
  period: ReportPeriod;
  /** One consultant's own figures; null for everyone's. */
  consultantId: string | null;
  now: Date;
}

/** The report's scope: its stores over its period in their time zones. */
export const reportScope = (request: ReportRequest): ReportScope => scopeOf(request.stores, request.period, request.consultantId, request.now);

/**
 * Builds a report: each group of figures is a handful of aggregate queries (counts and
 * `groupBy`), so its cost does not grow with the rows behind it beyond what the indexes read.
 */
export async function buildReport(db: ReportDb, request: ReportRequest): Promise<Report> {
  const scope = reportScope(request);
  const previous = previousPeriod(request.period);
  const reception = await receptionFigures(db, scope);
  const callbacks = await callbackFigures(db, scope);
  const consultants = await consultantFigures(db, scope, rescope(scope, previous));
  const funnel = await funnelFigures(db, scope);
  const deliveries = await deliveryFigures(db, scope);
  const complaints = await complaintFigures(db, scope);
  const messages = await messageFigures(db, scope);
  return { period: request.period, periodLabel: periodLabel(request.period), previous, scope, reception, callbacks, consultants, funnel, deliveries, complaints, messages };
}

/** The trend that goes with a report (see trendFigures). */
export function buildTrend(db: ReportDb, request: ReportRequest): Promise<TrendPoint[]> {
  return trendFigures(db, reportScope(request), request.period);
}
