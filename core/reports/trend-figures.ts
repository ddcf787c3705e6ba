import { Prisma } from '../db/generated/client.ts';
import { bucketCounts, type BucketCount, type BucketFigure } from './bucket-counts.ts';
import { periodRange, trendLabel, trendPeriods, type ReportPeriod } from './report-period.ts';
import { ratio, type ReportDb, type ReportScope } from './report-scope.ts';

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

type Figure = 'registrations' | 'walkInParties' | 'surveys' | 'followUps' | 'orders' | 'handovers' | 'complaints';

/** The trend's figures as SQL (see bucket-counts.ts), for everyone or for one consultant. */
function figures(consultantId: string | null): Partial<Record<Figure, BucketFigure>> {
  const of = (column: Prisma.Sql) => (consultantId === null ? [] : [Prisma.sql`${column} = ${consultantId}`]);
  const table = (name: string) => ({ from: Prisma.sql`FROM ${Prisma.raw(`"${name}"`)}`, storeColumn: Prisma.sql`"storeId"` });
  return {
    registrations: { ...table('Visit'), timeColumn: Prisma.sql`"visitedAt"`, where: of(Prisma.sql`"consultantId"`) },
    ...(consultantId === null ? { walkInParties: { ...table('WalkInParty'), timeColumn: Prisma.sql`"at"`, where: [Prisma.sql`"withdrawnAt" IS NULL`] } } : {}),
    surveys: { ...table('Survey'), timeColumn: Prisma.sql`"sentAt"`, where: of(Prisma.sql`"consultantId"`), sum: Prisma.sql`CASE WHEN "score" BETWEEN 1 AND 10 THEN "score" END` },
    // Follow-ups logged by the store's staff: FollowUp(staffId, at) per staff member, no lookup of each lead.
    followUps: {
      from: Prisma.sql`FROM "FollowUp" JOIN "Staff" ON "Staff"."id" = "FollowUp"."staffId"`, storeColumn: Prisma.sql`"Staff"."storeId"`, timeColumn: Prisma.sql`"FollowUp"."at"`,
      where: of(Prisma.sql`"FollowUp"."staffId"`),
    },
    orders: { ...table('Order'), timeColumn: Prisma.sql`"orderedAt"`, where: of(Prisma.sql`"consultantId"`) },
    handovers: { ...table('Order'), timeColumn: Prisma.sql`"deliveredAt"`, where: [Prisma.sql`"status" = 'DELIVERED'`, ...of(Prisma.sql`"consultantId"`)] },
    complaints: { ...table('Ticket'), timeColumn: Prisma.sql`"createdAt"`, where: [Prisma.sql`"type" = 'COMPLAINT'`, ...of(Prisma.sql`"consultantId"`)] },
  };
}

/**
 * The trend behind a report: the headline figures of each period {@link trendPeriods} gives
 * (the last 14 days, 8 weeks or 12 months; a custom period by day, week or month), oldest first.
 * One statement per figure and store, whatever the number of periods.
 */
export async function trendFigures(db: ReportDb, scope: ReportScope, period: ReportPeriod): Promise<TrendPoint[]> {
  const periods = trendPeriods(period);
  const wanted = figures(scope.consultantId);
  const totals = new Map<Figure, BucketCount[]>();
  for (const w of scope.windows) {
    const from = periodRange(periods[0] as ReportPeriod, w.timeZone).from;
    const ends = periods.map((p) => periodRange(p, w.timeZone).to);
    for (const [name, figure] of Object.entries(wanted) as Array<[Figure, BucketFigure]>) {
      const counts = await bucketCounts(db, figure, { storeId: w.storeId, from }, ends);
      const sum = totals.get(name) ?? periods.map(() => ({ count: 0, sum: 0, summed: 0 }));
      totals.set(name, sum.map((b, i) => ({ count: b.count + (counts[i]?.count ?? 0), sum: b.sum + (counts[i]?.sum ?? 0), summed: b.summed + (counts[i]?.summed ?? 0) })));
    }
  }
  const at = (name: Figure, i: number) => totals.get(name)?.[i];
  return periods.map((p, i): TrendPoint => {
    const registrations = at('registrations', i)?.count ?? 0;
    const parties = wanted.walkInParties ? (at('walkInParties', i)?.count ?? 0) : null;
    const surveys = at('surveys', i) ?? { count: 0, sum: 0, summed: 0 };
    return {
      label: trendLabel(p), period: p, registrations, walkInParties: parties, retentionRate: parties === null ? null : ratio(registrations, parties),
      surveysSent: surveys.count, answerRate: ratio(surveys.summed, surveys.count), averageScore: surveys.summed === 0 ? null : Math.round((surveys.sum * 10) / surveys.summed) / 10,
      followUps: at('followUps', i)?.count ?? 0, orders: at('orders', i)?.count ?? 0, handovers: at('handovers', i)?.count ?? 0, complaints: at('complaints', i)?.count ?? 0,
    };
  });
}
