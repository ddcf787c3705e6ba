import { LOST_LEVELS } from '../leads/lost-request.ts';
import { breakdown, heardFromText, type Breakdown } from './reception-figures.ts';
import { countsBy, during, inWindows, mine, ratio, type ReportDb, type ReportScope } from './report-scope.ts';

/** Lead grades in funnel order. */
export const GRADES = ['N', 'H', 'A', 'B', 'C', 'O', 'D', 'F'] as const;
export type GradeKey = (typeof GRADES)[number];
export const GRADE_LABELS: Record<GradeKey, string> = {
  N: 'N 未定级', H: 'H 7天内', A: 'A 15天内', B: 'B 30天内', C: 'C 90天内', O: 'O 已订车', D: 'D 已交车', F: 'F 战败',
};

/** Conversion of one lead source (how they heard of the store). */
export interface SourceConversion {
  key: string;
  label: string;
  leads: number;
  ordered: number;
  rate: number | null;
}

/** The sales funnel (漏斗) of the leads first seen in a period, and the leads lost or set aside in it. */
export interface FunnelFigures {
  /** Leads whose first visit is in the period: the cohort. */
  registered: number;
  /** Of the cohort, graded beyond N (now). */
  graded: number;
  /** The cohort by grade now. */
  byGrade: Record<GradeKey, number>;
  /** Of the cohort, ordered (O) or delivered (D). */
  ordered: number;
  delivered: number;
  /** ordered ÷ registered. */
  conversionRate: number | null;
  /** Lost requests approved in the period as lost (levels 1 and 2; level 3 is not lost), by level, reason and competitor model. */
  lost: number;
  lostByLevel: Breakdown[];
  lostByReason: Breakdown[];
  lostToCompetitor: Breakdown[];
  /** Leads put to the managers for reassignment (not converted in time), and moved to the marketing pool, in the period. */
  staleFlagged: number;
  pooled: number;
  bySource: SourceConversion[];
}

/** Top reasons and competitor models shown; the rest is summed as 其他. */
const TOP = 10;

function top(lines: Breakdown[]): Breakdown[] {
  if (lines.length <= TOP) return lines;
  const rest = lines.slice(TOP - 1).reduce((n, l) => n + l.count, 0);
  return [...lines.slice(0, TOP - 1), { key: '*', label: '其他', count: rest }];
}

/**
 * The funnel of the period's new leads (first visit in the period) by their grade now:
 * registered → graded (H/A/B/C) → ordered (O) → delivered (D); conversion by source; the lost
 * requests approved in the period by level, reason and competitor; stale and pooled leads. A
 * consultant's report counts the leads they own and the requests they made.
 */
export async function funnelFigures(db: ReportDb, scope: ReportScope): Promise<FunnelFigures> {
  const cohort = inWindows(scope, (w) => ({ storeId: w.storeId, firstVisitAt: during(w), ...mine(scope, 'ownerStaffId') }));
  const lost = inWindows(scope, (w) => ({ lead: { storeId: w.storeId }, status: 'APPROVED' as const, level: { in: [1, 2] }, decidedAt: during(w), ...mine(scope, 'requestedById') }));
  const [byGrade, bySource, byLevel, byReason, byCompetitor, staleFlagged, pooled] = await Promise.all([
    db.lead.groupBy({ by: ['grade'], where: cohort, _count: { _all: true } }),
    db.lead.groupBy({ by: ['source', 'grade'], where: cohort, _count: { _all: true } }),
    db.lostRequest.groupBy({ by: ['level'], where: lost, _count: { _all: true } }),
    db.lostRequest.groupBy({ by: ['reason'], where: lost, _count: { _all: true } }),
    db.lostRequest.groupBy({ by: ['competitorModel'], where: { AND: [lost, { competitorModel: { not: null } }] }, _count: { _all: true } }),
    db.lead.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, staleFlaggedAt: during(w), ...mine(scope, 'ownerStaffId') })) }),
    db.lead.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, pooledAt: during(w), ...mine(scope, 'ownerStaffId') })) }),
  ]);
  const grades = countsBy(byGrade, 'grade');
  const grade = Object.fromEntries(GRADES.map((g) => [g, grades.get(g) ?? 0])) as Record<GradeKey, number>;
  const registered = GRADES.reduce((n, g) => n + grade[g], 0);
  const ordered = grade.O + grade.D;
  const levels = countsBy(byLevel, 'level');
  return {
    registered,
    graded: registered - grade.N,
    byGrade: grade,
    ordered,
    delivered: grade.D,
    conversionRate: ratio(ordered, registered),
    lost: [...levels.values()].reduce((n, c) => n + c, 0),
    lostByLevel: breakdown(levels, (level) => `${level}级 ${LOST_LEVELS[Number(level) as 1 | 2] ?? ''}`.trim()),
    lostByReason: top(breakdown(countsBy(byReason, 'reason'), (r) => r ?? '')),
    lostToCompetitor: top(breakdown(countsBy(byCompetitor, 'competitorModel'), (m) => m ?? '')),
    staleFlagged,
    pooled,
    bySource: sourceConversion(bySource),
  };
}

function sourceConversion(rows: readonly { source: string; grade: string; _count: { _all: number } }[]): SourceConversion[] {
  const leads = countsBy(rows, 'source');
  const ordered = countsBy(rows.filter((r) => r.grade === 'O' || r.grade === 'D'), 'source');
  return breakdown(leads, heardFromText).map(({ key, label, count }) => {
    const won = ordered.get(key) ?? 0;
    return { key, label, leads: count, ordered: won, rate: ratio(won, count) };
  });
}
