import { DateTime } from 'luxon';
import type { Database } from '../db/open-database.ts';
import { parseJourneySettings } from '../journeys/journey-settings.ts';
import { nextInsideWindow } from './send-window.ts';

/** A claimed marketing intent, as the frequency cap needs it. */
interface MarketingRow {
  id: string;
  customerId: string | null;
  purpose: string;
  store: { timeZone: string; customerHoursStart: string; customerHoursEnd: string; journeySettings: string };
}

/**
 * The frequency cap: at most `marketingPerDay` marketing messages per customer per local day,
 * across all journeys. When several are due the same day the highest priority wins (then the
 * oldest), not the first to arrive; the others are held to the next day's opening hour.
 * Returns the claimed intents to hold, with the time to hold them to.
 */
export async function marketingDeferrals(db: Database, rows: MarketingRow[], now: Date): Promise<Map<string, Date>> {
  const marketing = rows.filter((r): r is MarketingRow & { customerId: string } => r.purpose === 'MARKETING' && r.customerId !== null);
  const deferrals = new Map<string, Date>();
  const byCustomer = new Map<string, MarketingRow[]>();
  for (const row of marketing) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  for (const [customerId, claimed] of byCustomer) {
    const store = claimed[0]!.store;
    const zone = store.timeZone;
    const dayStart = DateTime.fromJSDate(now, { zone }).startOf('day');
    const dayEnd = dayStart.plus({ days: 1 });
    const cap = parseJourneySettings(store.journeySettings).marketingPerDay;
    const sentToday = await db.messageIntent.count({ where: { customerId, purpose: 'MARKETING', state: 'SENT', sentAt: { gte: dayStart.toJSDate() } } });
    const contenders = await db.messageIntent.findMany({
      where: { customerId, purpose: 'MARKETING', state: { in: ['PENDING', 'FAILED_RETRYING'] }, sendAt: { lt: dayEnd.toJSDate() } },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    const winners = new Set(contenders.slice(0, Math.max(0, cap - sentToday)).map((c) => c.id));
    const tomorrow = nextInsideWindow(dayEnd.toJSDate(), { start: store.customerHoursStart, end: store.customerHoursEnd }, zone);
    for (const row of claimed) if (!winners.has(row.id)) deferrals.set(row.id, tomorrow);
  }
  return deferrals;
}
