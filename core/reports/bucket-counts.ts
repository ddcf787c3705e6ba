import { Prisma } from '../db/generated/client.ts';
import type { ReportDb, StoreWindow } from './report-scope.ts';

/**
 * Counts per period of a trend in one statement per figure: the rows of one store between the
 * first period's start and the last one's end, each put in its period by `CASE WHEN t < end₁
 * THEN 0 WHEN t < end₂ THEN 1 …` over boundaries computed in the store's time zone. Plain SQL
 * that SQLite and PostgreSQL read alike (quoted identifiers, no date functions), with the
 * boundaries and ids bound as parameters.
 */

/** One figure of a trend: the rows it counts, their time column, and what else they must match. */
export interface BucketFigure {
  /** `FROM …` (with any join), and the column of the store id and of the instant, as SQL. */
  from: Prisma.Sql;
  storeColumn: Prisma.Sql;
  timeColumn: Prisma.Sql;
  /** Further conditions (a consultant, a state), each a complete SQL condition. */
  where?: Prisma.Sql[];
  /** Also sum this column (e.g. the score) and count its non-null values. */
  sum?: Prisma.Sql;
}

/** Per bucket: rows, and with `sum` the sum and count of that column. */
export interface BucketCount {
  count: number;
  sum: number;
  summed: number;
}

const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/**
 * Counts `figure`'s rows of `window.storeId` per bucket; `ends` are the buckets' exclusive ends in
 * order, the first bucket starting at `window.from`. Returns one entry per bucket.
 */
export async function bucketCounts(db: ReportDb, figure: BucketFigure, window: Pick<StoreWindow, 'storeId' | 'from'>, ends: readonly Date[]): Promise<BucketCount[]> {
  const last = ends.at(-1);
  if (!last) return [];
  const bucket = Prisma.sql`CASE ${Prisma.join(ends.map((end, i) => Prisma.sql`WHEN ${figure.timeColumn} < ${end} THEN ${i}`), ' ')} END`;
  const conditions = [Prisma.sql`${figure.storeColumn} = ${window.storeId}`, Prisma.sql`${figure.timeColumn} >= ${window.from}`, Prisma.sql`${figure.timeColumn} < ${last}`, ...(figure.where ?? [])];
  const sum = figure.sum ?? Prisma.sql`NULL`;
  const rows = await db.$queryRaw<Array<{ bucket: unknown; n: unknown; total: unknown; summed: unknown }>>`
    SELECT ${bucket} AS "bucket", COUNT(*) AS "n", SUM(${sum}) AS "total", COUNT(${sum}) AS "summed"
    ${figure.from}
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY 1`;
  const out = ends.map((): BucketCount => ({ count: 0, sum: 0, summed: 0 }));
  for (const row of rows) {
    const entry = out[toNumber(row.bucket)];
    if (entry) Object.assign(entry, { count: toNumber(row.n), sum: toNumber(row.total), summed: toNumber(row.summed) });
  }
  return out;
}
