import { ticketCategoryLabel } from '../surveys/ticket-categories.ts';
import { breakdown, type Breakdown } from './reception-figures.ts';
import { countsBy, during, inWindows, mine, ratio, type ReportDb, type ReportScope } from './report-scope.ts';

/** Complaints (投诉) opened in a period and how they were handled. */
export interface ComplaintFigures {
  opened: number;
  /** Taken by someone within 30 minutes (by their take-by time). */
  takenInTime: number;
  /** takenInTime ÷ opened. */
  takenInTimeRate: number | null;
  closed: number;
  /** Still open now. */
  open: number;
  byCategory: Breakdown[];
}

/**
 * Complaint tickets opened in the period: how many were taken within their 30 minutes, how many
 * are closed, and their categories. A consultant's report counts the complaints about them.
 */
export async function complaintFigures(db: ReportDb, scope: ReportScope): Promise<ComplaintFigures> {
  const opened = inWindows(scope, (w) => ({ storeId: w.storeId, type: 'COMPLAINT' as const, createdAt: during(w), ...mine(scope, 'consultantId') }));
  const [count, inTime, closed, byCategory] = await Promise.all([
    db.ticket.count({ where: opened }),
    db.ticket.count({ where: { AND: [opened, { takenAt: { lte: db.ticket.fields.dueAt } }] } }),
    db.ticket.count({ where: { AND: [opened, { status: 'CLOSED' }] } }),
    db.ticket.groupBy({ by: ['category'], where: opened, _count: { _all: true } }),
  ]);
  return {
    opened: count,
    takenInTime: inTime,
    takenInTimeRate: ratio(inTime, count),
    closed,
    open: count - closed,
    byCategory: breakdown(countsBy(byCategory, 'category'), ticketCategoryLabel),
  };
}
