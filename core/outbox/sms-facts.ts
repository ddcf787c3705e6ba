import type { Database } from '../db/open-database.ts';
import { chargedSmsSince, smsBudgetOf, smsPeriods, smsUsage } from './sms-budget.ts';
import { hasOptOutHint } from './sms-templates.ts';

/** What planning needs to know to send a batch's customer messages by SMS, looked up once. */
export interface SmsFacts {
  /** Customers' mobile numbers (E.164), and whether SMS to it was refused for good (a blacklisted or invalid number); absent: no number. */
  numbers: Map<string, { phone: string; blocked: boolean }>;
  /** The stores' approved templates, by `smsTemplateKey`: whether the text carries an opt-out hint (回T退订). */
  templates: Map<string, { optOutHint: boolean }>;
  /** What each store's budget leaves: messages this month and today, and when each period ends. */
  storeRoom: Map<string, SmsRoom>;
  /** Messages each customer may still get today (the store's per-customer limit). */
  customerRoom: Map<string, number>;
}

/** What a store's SMS budget leaves. */
export interface SmsRoom {
  month: number;
  today: number;
  nextDay: Date;
  nextMonth: Date;
}

/** Facts for a batch with no SMS channel (or no customer messages): SMS reaches nobody. */
export const noSmsFacts = (): SmsFacts => ({ numbers: new Map(), templates: new Map(), storeRoom: new Map(), customerRoom: new Map() });

/** The key of a store's template for a kind in `SmsFacts.templates`. */
export const smsTemplateKey = (storeId: string, kind: string): string => `${storeId}:${kind}`;

/** A claimed intent as SMS facts need it. */
interface SmsRow {
  storeId: string;
  customerId: string | null;
  purpose: string;
  store: { id: string; timeZone: string };
}

/** Looks up the SMS facts for the batch's customer messages (service and marketing). */
export async function smsFacts(db: Database, rows: readonly SmsRow[], now: Date): Promise<SmsFacts> {
  const facts = noSmsFacts();
  const care = rows.filter((r): r is SmsRow & { customerId: string } => r.customerId !== null && (r.purpose === 'SERVICE' || r.purpose === 'MARKETING'));
  if (care.length === 0) return facts;
  const customerIds = [...new Set(care.map((r) => r.customerId))];
  const stores = new Map(care.map((r) => [r.store.id, r.store]));
  const customers = await db.customer.findMany({ where: { id: { in: customerIds }, erasedAt: null }, select: { id: true, phone: true } });
  const blocked = await db.channelIdentity.findMany({ where: { channel: 'SMS', customerId: { in: customerIds }, blockedAt: { not: null } }, select: { customerId: true, externalId: true } });
  const blockedNumbers = new Set(blocked.map((b) => `${b.customerId}:${b.externalId}`));
  for (const { id, phone } of customers) {
    if (phone.startsWith('+')) facts.numbers.set(id, { phone, blocked: blockedNumbers.has(`${id}:${phone}`) });
  }
  const templates = await db.smsTemplate.findMany({ where: { storeId: { in: [...stores.keys()] } }, select: { storeId: true, kind: true, text: true } });
  for (const t of templates) facts.templates.set(smsTemplateKey(t.storeId, t.kind), { optOutHint: hasOptOutHint(t.text) });
  for (const store of stores.values()) {
    const [budget, used] = await Promise.all([smsBudgetOf(db, store.id), smsUsage(db, store, now)]);
    const { dayStart, nextDay, nextMonth } = smsPeriods(now, store.timeZone);
    facts.storeRoom.set(store.id, { month: budget.monthlyLimit - used.month, today: budget.dailyStoreLimit - used.today, nextDay, nextMonth });
    const ofStore = [...new Set(care.filter((r) => r.store.id === store.id).map((r) => r.customerId))];
    const sentToday = await db.messageIntent.groupBy({ by: ['customerId'], where: { customerId: { in: ofStore }, ...chargedSmsSince(dayStart) }, _count: { _all: true } });
    const counts = new Map(sentToday.map((g) => [g.customerId, g._count._all]));
    for (const customerId of ofStore) facts.customerRoom.set(customerId, budget.dailyCustomerLimit - (counts.get(customerId) ?? 0));
  }
  return facts;
}
