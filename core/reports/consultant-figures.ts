import { DateTime } from 'luxon';
import { isChineseWorkingDay } from '../journeys/calendar-dates.ts';
import { parseLeadSettings } from '../leads/lead-settings.ts';
import { DEFAULT_BENCHMARK_MIN_RESPONSES, figuresFromDistribution } from '../surveys/consultant-scores.ts';
import { countsBy, during, inWindows, ratio, type ReportDb, type ReportScope, scoreCounts, storeIds, type StoreWindow } from './report-scope.ts';

/** One consultant's figures in a period. */
export interface ConsultantRow {
  staffId: string;
  name: string;
  storeId: string;
  /** Follow-ups logged in the period. */
  followUps: number;
  /** The store's daily minimum × the working days of the period so far (今日 included). */
  followUpsExpected: number;
  /** Their leads still to follow up whose follow-up time has passed, now. */
  overdueLeads: number;
  /** Follow-ups in the period that changed the lead's grade. */
  gradeChanges: number;
  /** Their leads first seen in the period, and how many of those are ordered or delivered now. */
  newLeads: number;
  converted: number;
  conversionRate: number | null;
  /** Orders signed in the period. */
  orders: number;
  /** Callbacks about them sent in the period, answered, average score, NPS, below 8. */
  surveysSent: number;
  responses: number;
  average: number | null;
  nps: number | null;
  belowEight: number;
  /** Every answer 10, with at least the minimum number of answers (标杆). */
  isBenchmark: boolean;
  /** Place by average score (higher first; ties by more answers share nothing: same average and answers → same place); null without answers. */
  rank: number | null;
}

/** The change of a consultant's figures from the previous period (this − previous); null where either side has no value. */
export interface ConsultantChange {
  followUps: number;
  orders: number;
  average: number | null;
  conversionRate: number | null;
  rank: number | null;
}

export interface ConsultantFigures {
  benchmarkMinResponses: number;
  rows: Array<ConsultantRow & { change: ConsultantChange | null }>;
  benchmarks: Array<{ staffId: string; name: string }>;
}

/** The local working days of a window that have begun by `now` (the whole window once it is past). */
export function workingDaysSoFar(w: StoreWindow, now: Date): number {
  let day = DateTime.fromJSDate(w.from, { zone: w.timeZone }).startOf('day');
  let count = 0;
  while (day.toJSDate() < w.to && day.toJSDate() <= now) {
    if (isChineseWorkingDay(day.toISODate() as string)) count += 1;
    day = day.plus({ days: 1 });
  }
  return count;
}

const byKey = <T>(map: Map<string | null, T>, key: string, fallback: T): T => map.get(key) ?? fallback;

/** Ranks rows by average (desc), then answers (desc); equal pairs share a place (1, 2, 2, 4). */
function rank(rows: ConsultantRow[]): void {
  const ranked = rows.filter((r) => r.average !== null).sort((a, b) => (b.average ?? 0) - (a.average ?? 0) || b.responses - a.responses);
  ranked.forEach((row, i) => {
    const before = ranked[i - 1];
    row.rank = before && before.average === row.average && before.responses === row.responses ? before.rank : i + 1;
  });
}

/**
 * The consultants' figures over a scope: every active consultant of its stores (and any other
 * staff member who logged follow-ups or had callbacks in it), or the one consultant of a
 * consultant's own report. Sorted by rank, then name. `withOverdue` false leaves out the overdue
 * leads (a figure of now, the same for any period: not asked again for the previous one).
 */
export async function consultantRows(db: ReportDb, scope: ReportScope, benchmarkMinResponses = DEFAULT_BENCHMARK_MIN_RESPONSES, withOverdue = true): Promise<ConsultantRow[]> {
  const stores = storeIds(scope);
  const staffFilter = scope.consultantId === null ? {} : { id: scope.consultantId };
  // Follow-ups by the store's staff (through the small Staff table and FollowUp(staffId, at), not a lookup of every lead).
  const follow = inWindows(scope, (w) => ({ staff: { storeId: w.storeId }, at: during(w), ...(scope.consultantId === null ? {} : { staffId: scope.consultantId }) }));
  const surveys = inWindows(scope, (w) => ({ storeId: w.storeId, sentAt: during(w), consultantId: scope.consultantId ?? { not: null } }));
  const [grades, overdue, cohort, orders, sent, scores, storeRows] = await Promise.all([
    db.followUp.groupBy({ by: ['staffId', 'gradeBefore', 'gradeAfter'], where: follow, _count: { _all: true } }),
    withOverdue ? db.lead.groupBy({
      by: ['ownerStaffId'], _count: { _all: true },
      where: { storeId: { in: stores }, pool: 'ACTIVE', grade: { in: ['N', 'H', 'A', 'B', 'C'] }, nextFollowUpAt: { lt: scope.now }, ownerStaffId: scope.consultantId ?? { not: null } },
    }) : [],
    db.lead.groupBy({ by: ['ownerStaffId', 'grade'], where: inWindows(scope, (w) => ({ storeId: w.storeId, firstVisitAt: during(w), ownerStaffId: scope.consultantId ?? { not: null } })), _count: { _all: true } }),
    db.order.groupBy({ by: ['consultantId'], where: inWindows(scope, (w) => ({ storeId: w.storeId, orderedAt: during(w), consultantId: scope.consultantId ?? { not: null } })), _count: { _all: true } }),
    db.survey.groupBy({ by: ['consultantId'], where: surveys, _count: { _all: true } }),
    db.survey.groupBy({ by: ['consultantId', 'score'], where: { AND: [surveys, { score: { not: null } }] }, _count: { _all: true } }),
    db.store.findMany({ where: { id: { in: stores } }, select: { id: true, leadSettings: true } }),
  ]);
  const counts = { followUps: countsBy(grades, 'staffId'), gradeChanges: countsBy(grades.filter((g) => g.gradeBefore !== g.gradeAfter), 'staffId'), overdue: countsBy(overdue, 'ownerStaffId'), orders: countsBy(orders, 'consultantId'), sent: countsBy(sent, 'consultantId') };
  const withData = [...counts.followUps.keys(), ...counts.sent.keys()].filter((id): id is string => id !== null);
  const staff = await db.staff.findMany({
    where: { storeId: { in: stores }, ...staffFilter, OR: [{ role: 'CONSULTANT', active: true }, { id: { in: withData } }] },
    select: { id: true, name: true, storeId: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const minimum = new Map(storeRows.map((s) => [s.id, parseLeadSettings(s.leadSettings).dailyMinimumFollowUps]));
  const days = new Map(scope.windows.map((w) => [w.storeId, workingDaysSoFar(w, scope.now)]));
  const rows = staff.map((s): ConsultantRow => {
    const mineOnly = <T extends { _count: { _all: number } }>(rows: readonly T[], key: keyof T) => rows.filter((r) => r[key] === s.id);
    const grades = countsBy(mineOnly(cohort, 'ownerStaffId'), 'grade');
    const newLeads = [...grades.values()].reduce((n, c) => n + c, 0);
    const converted = byKey(grades, 'O', 0) + byKey(grades, 'D', 0);
    const figures = figuresFromDistribution(byKey(counts.sent, s.id, 0), scoreCounts(mineOnly(scores, 'consultantId')));
    return {
      staffId: s.id, name: s.name, storeId: s.storeId,
      followUps: byKey(counts.followUps, s.id, 0),
      followUpsExpected: (minimum.get(s.storeId) ?? 0) * (days.get(s.storeId) ?? 0),
      overdueLeads: byKey(counts.overdue, s.id, 0),
      gradeChanges: byKey(counts.gradeChanges, s.id, 0),
      newLeads, converted, conversionRate: ratio(converted, newLeads),
      orders: byKey(counts.orders, s.id, 0),
      surveysSent: figures.surveysSent, responses: figures.responses, average: figures.average, nps: figures.nps, belowEight: figures.belowEight,
      isBenchmark: figures.responses >= benchmarkMinResponses && figures.tens === figures.responses,
      rank: null,
    };
  });
  rank(rows);
  return rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name, 'zh-CN'));
}

const delta = (now: number | null, before: number | null): number | null => (now === null || before === null ? null : Math.round((now - before) * 1000) / 1000);

/** The consultants' figures with each one's change from the previous period (null for someone without a row then). */
export async function consultantFigures(db: ReportDb, scope: ReportScope, previous: ReportScope, benchmarkMinResponses = DEFAULT_BENCHMARK_MIN_RESPONSES): Promise<ConsultantFigures> {
  const [rows, before] = await Promise.all([consultantRows(db, scope, benchmarkMinResponses), consultantRows(db, previous, benchmarkMinResponses, false)]);
  const earlier = new Map(before.map((r) => [r.staffId, r]));
  return {
    benchmarkMinResponses,
    rows: rows.map((row) => {
      const then = earlier.get(row.staffId);
      return {
        ...row,
        change: then ? {
          followUps: row.followUps - then.followUps, orders: row.orders - then.orders, average: delta(row.average, then.average),
          conversionRate: delta(row.conversionRate, then.conversionRate), rank: row.rank === null || then.rank === null ? null : then.rank - row.rank,
        } : null,
      };
    }),
    benchmarks: rows.filter((r) => r.isBenchmark).map((r) => ({ staffId: r.staffId, name: r.name })),
  };
}
