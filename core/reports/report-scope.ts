import type { Database, DatabaseTx } from '../db/open-database.ts';
import { periodRange, type ReportPeriod } from './report-period.ts';

/** One store's stretch of time: the period read in that store's time zone. */
export interface StoreWindow {
  storeId: string;
  timeZone: string;
  from: Date;
  to: Date;
}

/**
 * What a report covers: one window per store (a store, or every store of a dealer group, each in
 * its own time zone) and optionally one consultant, whose own figures it then is. `now` is when
 * the report is made: "overdue", "open" and stock figures are as of then.
 */
export interface ReportScope {
  windows: StoreWindow[];
  consultantId: string | null;
  now: Date;
}

/** The stores a report is about, with their time zones. */
export type ReportStore = { id: string; timeZone: string };

/** The scope of `period` over `stores`, for one consultant or (null) everyone. */
export function scopeOf(stores: readonly ReportStore[], period: ReportPeriod, consultantId: string | null, now: Date): ReportScope {
  if (stores.length === 0) throw new Error('A report needs at least one store');
  return { windows: stores.map((s) => ({ storeId: s.id, timeZone: s.timeZone, ...periodRange(period, s.timeZone) })), consultantId, now };
}

/** The same stores and consultant over another period. */
export function rescope(scope: ReportScope, period: ReportPeriod): ReportScope {
  return scopeOf(scope.windows.map((w) => ({ id: w.storeId, timeZone: w.timeZone })), period, scope.consultantId, scope.now);
}

/** The scope's store ids. */
export const storeIds = (scope: ReportScope): string[] => scope.windows.map((w) => w.storeId);

/** A Prisma `where` that is `clause(window)` for any of the scope's windows (one store's rows within its own period). */
export function inWindows<W>(scope: ReportScope, clause: (window: StoreWindow) => W): { OR: W[] } {
  return { OR: scope.windows.map(clause) };
}

/** `{ gte: from, lt: to }` of a window: the half-open range of a period. */
export const during = (w: StoreWindow): { gte: Date; lt: Date } => ({ gte: w.from, lt: w.to });

/** `{ field: consultantId }` when the scope is one consultant's, else nothing. */
export function mine<F extends string>(scope: ReportScope, field: F): Partial<Record<F, string>> {
  return scope.consultantId === null ? {} : ({ [field]: scope.consultantId } as Record<F, string>);
}

/** The database a figure reads (a transaction works too). */
export type ReportDb = Database | DatabaseTx;

/** Counts of rows per key, from a Prisma `groupBy` with `_count: { _all: true }`, as a map. */
export function countsBy<K extends string>(rows: readonly ({ _count: { _all: number } } & Record<K, unknown>)[], key: K): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const row of rows) {
    const value = row[key];
    const name = value === null || value === undefined ? null : String(value);
    out.set(name, (out.get(name) ?? 0) + row._count._all);
  }
  return out;
}

/** A share (0..1), or null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Answers per score from a `groupBy` over the score, as `figuresFromDistribution` takes them. */
export function scoreCounts(rows: readonly ({ score: number | null; _count: { _all: number } })[]): Partial<Record<number, number>> {
  return Object.fromEntries([...countsBy(rows, 'score')].map(([score, n]) => [Number(score), n]));
}
