import { HEARD_FROM, heardFromLabel, type HeardFrom } from '../registration/registration-options.ts';
import { countsBy, during, inWindows, mine, ratio, storeIds, type ReportDb, type ReportScope } from './report-scope.ts';

/** The handbook's target: 95% of walk-in parties registered (留存率目标). */
export const RETENTION_TARGET = 0.95;

/** One line of a breakdown: a stored key, its label for staff, and its count. */
export interface Breakdown {
  key: string;
  label: string;
  count: number;
}

/** Front desk and registration figures of a period. */
export interface ReceptionFigures {
  /** Registrations (each records a visit) in the period. */
  registrations: number;
  /** By QR source (its label; 无来源 for the API), by channel, by "how they heard of us". */
  bySource: Breakdown[];
  byChannel: Breakdown[];
  byHeardFrom: Breakdown[];
  /** Customers whose first visit to the store is in the period. */
  newCustomers: number;
  /** Registrations by customers who had first visited the store before the period. */
  returningCustomers: number;
  /** Walk-in parties counted at the front desk ("+1 组"), withdrawn counts left out; null for a consultant's own report. */
  walkInParties: number | null;
  /** registrations ÷ walk-in parties (0..1, may exceed 1 when the desk under-counts); null without parties. */
  retentionRate: number | null;
  retentionTarget: number;
  vouchersIssued: number;
  vouchersRedeemed: number;
  /** Gifts not yet promised to a voucher, now, over the stores' campaigns still running; null for a consultant's own report. */
  giftStockLeft: number | null;
}

export const CHANNEL_LABELS: Record<string, string> = { WEB: '网页/H5', TELEGRAM: 'Telegram', WECOM: '企业微信', SMS: '短信' };

/** A stored heard-from value as staff read it. */
export const heardFromText = (key: string | null): string =>
  key !== null && (HEARD_FROM as readonly string[]).includes(key) ? heardFromLabel(key as HeardFrom, 'zh-CN') : (key ?? '未填');

/** Counts as breakdown lines, largest first (then by key, for a stable order). */
export function breakdown(counts: Map<string | null, number>, label: (key: string | null) => string): Breakdown[] {
  return [...counts.entries()]
    .map(([key, count]) => ({ key: key ?? '', label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * Reception: who registered in the period and how they came, against the walk-in parties the
 * front desk counted. A consultant's report counts the visits they received (Visit.consultantId)
 * and leaves out the desk's counts and the stock.
 */
export async function receptionFigures(db: ReportDb, scope: ReportScope): Promise<ReceptionFigures> {
  const visits = inWindows(scope, (w) => ({ storeId: w.storeId, visitedAt: during(w), ...mine(scope, 'consultantId') }));
  const own = scope.consultantId !== null;
  const [visitGroups, newCustomers, returning, parties, issued, redeemed, stock] = await Promise.all([
    // One pass over the period's visits gives the total and all three breakdowns (a few dozen groups).
    db.visit.groupBy({ by: ['qrSourceId', 'channel', 'heardFrom'], where: visits, _count: { _all: true } }),
    db.lead.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, firstVisitAt: during(w), ...mine(scope, 'ownerStaffId') })) }),
    db.visit.count({
      where: inWindows(scope, (w) => ({
        storeId: w.storeId, visitedAt: during(w), ...mine(scope, 'consultantId'),
        customer: { leads: { some: { storeId: w.storeId, firstVisitAt: { lt: w.from } } } },
      })),
    }),
    own ? null : db.walkInParty.count({ where: inWindows(scope, (w) => ({ storeId: w.storeId, at: during(w), withdrawnAt: null })) }),
    db.voucher.count({ where: inWindows(scope, (w) => ({ campaign: { storeId: w.storeId }, issuedAt: during(w), ...(own ? { registration: { visit: { consultantId: scope.consultantId } } } : {}) })) }),
    db.voucher.count({ where: inWindows(scope, (w) => ({ campaign: { storeId: w.storeId }, redeemedAt: during(w), ...(own ? { registration: { visit: { consultantId: scope.consultantId } } } : {}) })) }),
    own ? null : db.gift.aggregate({
      where: { campaign: { storeId: { in: storeIds(scope) }, startsAt: { lte: scope.now }, OR: [{ endsAt: null }, { endsAt: { gt: scope.now } }] } },
      _sum: { stockLeft: true },
    }),
  ]);
  const registrations = visitGroups.reduce((n, g) => n + g._count._all, 0);
  const bySource = countsBy(visitGroups, 'qrSourceId');
  const sourceIds = [...bySource.keys()].filter((id): id is string => id !== null);
  const sources = new Map((await db.qrSource.findMany({ where: { id: { in: sourceIds } }, select: { id: true, label: true, code: true } })).map((s) => [s.id, s]));
  return {
    registrations,
    bySource: breakdown(bySource, (id) => (id === null ? '无来源（接口登记）' : (sources.get(id)?.label ?? id))),
    byChannel: breakdown(countsBy(visitGroups, 'channel'), (key) => CHANNEL_LABELS[key ?? ''] ?? String(key)),
    byHeardFrom: breakdown(countsBy(visitGroups, 'heardFrom'), heardFromText),
    newCustomers,
    returningCustomers: returning,
    walkInParties: parties,
    retentionRate: parties === null ? null : ratio(registrations, parties),
    retentionTarget: RETENTION_TARGET,
    vouchersIssued: issued,
    vouchersRedeemed: redeemed,
    giftStockLeft: stock === null ? null : (stock._sum.stockLeft ?? 0),
  };
}
