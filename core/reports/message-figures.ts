import { QUIET_HOURS_HOLD } from '../outbox/plan-intent.ts';
import { countsBy, during, inWindows, storeIds, type ReportDb, type ReportScope } from './report-scope.ts';

/** The outbox over a period: what became of the messages made in it. */
export interface MessageFigures {
  /** Messages (to customers and staff) made in the period, and what became of them. */
  made: number;
  sent: number;
  /** Still to go (due later, held, or being retried). */
  waiting: number;
  dead: number;
  /** Sent with no answer from the platform: maybe delivered, not resent. */
  unknown: number;
  expired: number;
  cancelled: number;
  /** Held right now for quiet hours (customers 08:00–21:00, staff hours). */
  heldForQuietHours: number;
  /** Messages no channel of ours could deliver, handed to a consultant as a task, made in the period. */
  handedToConsultants: number;
}

/**
 * Messages: the message intents made in the period by their state now, those held for quiet
 * hours now, and those handed to consultants as tasks. The store's figure only (a consultant's
 * report has none: null).
 */
export async function messageFigures(db: ReportDb, scope: ReportScope): Promise<MessageFigures | null> {
  if (scope.consultantId !== null) return null;
  const [byState, held, tasks] = await Promise.all([
    db.messageIntent.groupBy({ by: ['state'], where: inWindows(scope, (w) => ({ storeId: w.storeId, createdAt: during(w) })), _count: { _all: true } }),
    db.messageIntent.count({ where: { storeId: { in: storeIds(scope) }, state: 'PENDING', lastError: { startsWith: QUIET_HOURS_HOLD } } }),
    db.staffTask.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, createdAt: during(w), intentId: { not: null } })) }),
  ]);
  const states = countsBy(byState, 'state');
  const state = (name: string) => states.get(name) ?? 0;
  const made = [...states.values()].reduce((n, c) => n + c, 0);
  return {
    made,
    sent: state('SENT'),
    waiting: state('PENDING') + state('SENDING') + state('FAILED_RETRYING'),
    dead: state('DEAD'),
    unknown: state('UNKNOWN'),
    expired: state('EXPIRED'),
    cancelled: state('CANCELLED'),
    heldForQuietHours: held,
    handedToConsultants: tasks,
  };
}
