import { figuresFromDistribution, LOW_SCORE_BELOW, type ScoreFigures } from '../surveys/consultant-scores.ts';
import { staffFactorLabel } from '../surveys/tickets.ts';
import { breakdown, type Breakdown } from './reception-figures.ts';
import { countsBy, during, inWindows, mine, ratio, type ReportDb, type ReportScope, scoreCounts } from './report-scope.ts';

/** Recall tickets (召回) opened in a period, and how they went. */
export interface RecallFigures {
  opened: number;
  /** Closed by their due time (48 h). */
  closedInTime: number;
  closedLate: number;
  /** Not closed yet, and past their due time now. */
  overdue: number;
  /** Not closed yet, still within their due time. */
  open: number;
}

/** Satisfaction callbacks (回访) of a period. */
export interface CallbackFigures {
  /** Surveys due to go out in the period (their send time falls in it). */
  due: number;
  /** Surveys sent in the period; the rest count these. */
  sent: number;
  answered: number;
  /** Sent, not answered, still open. */
  awaiting: number;
  expired: number;
  /** The customer declined the survey. */
  declined: number;
  /** Unclear replies handed to staff. */
  handedToStaff: number;
  /** answered ÷ sent. */
  answerRate: number | null;
  /** Average, NPS, distribution, below-8 of the answers. */
  scores: ScoreFigures;
  /** Low scores (below 8) by the step the customer blamed. */
  lowScoreFactors: Breakdown[];
  recalls: RecallFigures;
}

/**
 * Callbacks: the surveys sent in the period (visit and delivery), their answers by the score
 * that stands, the factors of low scores, and the recall tickets opened in the period. A
 * consultant's report counts the surveys and recalls about them.
 */
export async function callbackFigures(db: ReportDb, scope: ReportScope): Promise<CallbackFigures> {
  const sent = inWindows(scope, (w) => ({ storeId: w.storeId, sentAt: during(w), ...mine(scope, 'consultantId') }));
  const recalls = inWindows(scope, (w) => ({ storeId: w.storeId, type: 'RECALL' as const, createdAt: during(w), ...mine(scope, 'consultantId') }));
  const [due, byStateAndScore, factors, opened, inTime, late, overdue] = await Promise.all([
    db.survey.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, sendAt: during(w), ...mine(scope, 'consultantId') })) }),
    // One pass over the surveys sent: the total, the answers per score, the unanswered per state.
    db.survey.groupBy({ by: ['state', 'score'], where: sent, _count: { _all: true } }),
    db.survey.groupBy({ by: ['factor'], where: { AND: [sent, { score: { lt: LOW_SCORE_BELOW } }] }, _count: { _all: true } }),
    db.ticket.count({ where: recalls }),
    db.ticket.count({ where: { AND: [recalls, { closedAt: { lte: db.ticket.fields.dueAt } }] } }),
    db.ticket.count({ where: { AND: [recalls, { closedAt: { gt: db.ticket.fields.dueAt } }] } }),
    db.ticket.count({ where: { AND: [recalls, { status: { not: 'CLOSED' }, dueAt: { lte: scope.now } }] } }),
  ]);
  const sentCount = byStateAndScore.reduce((n, g) => n + g._count._all, 0);
  const scores = figuresFromDistribution(sentCount, scoreCounts(byStateAndScore.filter((g) => g.score !== null)));
  const states = countsBy(byStateAndScore.filter((g) => g.score === null), 'state');
  const state = (name: string) => states.get(name) ?? 0;
  const expired = state('EXPIRED');
  const declined = state('DECLINED');
  const handedToStaff = state('STAFF_FOLLOW_UP');
  return {
    due,
    sent: sentCount,
    answered: scores.responses,
    awaiting: sentCount - scores.responses - expired - declined - handedToStaff,
    expired,
    declined,
    handedToStaff,
    answerRate: ratio(scores.responses, sentCount),
    scores,
    lowScoreFactors: breakdown(countsBy(factors, 'factor'), staffFactorLabel),
    recalls: { opened, closedInTime: inTime, closedLate: late, overdue, open: opened - inTime - late - overdue },
  };
}
