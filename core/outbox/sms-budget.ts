import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Prisma } from '../db/generated/client.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { raiseAlert } from './alerts.ts';

/**
 * What SMS may cost a store: a monthly budget in messages (an alert at 80 %, SMS holds at
 * 100 %), a daily limit for the store and one per customer. A message counts once it has left
 * for the provider (sent, being sent, or sent without an answer): a refusal or a throttled try
 * costs nothing. Months and days are the store's calendar.
 */
export interface SmsBudget {
  monthlyLimit: number;
  dailyStoreLimit: number;
  dailyCustomerLimit: number;
  /** What one message costs, in fen. */
  priceFen: number;
}

/** Until a store sets its own: 500 a month (about ¥25 at 5 fen), 100 a day, 2 a day to one customer. */
export const DEFAULT_SMS_BUDGET: SmsBudget = { monthlyLimit: 500, dailyStoreLimit: 100, dailyCustomerLimit: 2, priceFen: 5 };

/** The share of the monthly budget at which the admins are told. */
export const SMS_BUDGET_ALERT_SHARE = 0.8;

const whole = (max: number, what: string) => z
  .union([z.number(), z.string().trim().regex(/^\d{1,9}$/).transform(Number)], { error: `must be a whole number of ${what}` })
  .pipe(z.number().int(`must be a whole number of ${what}`).min(0, 'must not be negative').max(max, `must be at most ${max}`));
const budgetSchema = z.object({
  monthlyLimit: whole(10_000_000, 'messages'),
  dailyStoreLimit: whole(1_000_000, 'messages'),
  dailyCustomerLimit: whole(20, 'messages'),
  priceFen: whole(1_000, 'fen'),
});

/** A budget an admin typed that cannot be saved: the field and what to fix. */
export class SmsBudgetInvalidError extends Error {
  constructor(readonly field: keyof SmsBudget, message: string) {
    super(`${field} ${message}`);
    this.name = 'SmsBudgetInvalidError';
  }
}

/** The store's SMS budget, or the default. */
export async function smsBudgetOf(db: Database | DatabaseTx, storeId: string): Promise<SmsBudget> {
  const row = await db.smsBudget.findUnique({ where: { storeId } });
  return row ? { monthlyLimit: row.monthlyLimit, dailyStoreLimit: row.dailyStoreLimit, dailyCustomerLimit: row.dailyCustomerLimit, priceFen: row.priceFen } : DEFAULT_SMS_BUDGET;
}

/** Validates and saves a store's budget; throws SmsBudgetInvalidError naming the field. */
export async function saveSmsBudget(tx: DatabaseTx, storeId: string, input: Record<string, unknown>): Promise<SmsBudget> {
  const parsed = budgetSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SmsBudgetInvalidError((issue?.path[0] ?? 'monthlyLimit') as keyof SmsBudget, issue?.message ?? 'is invalid');
  }
  await tx.smsBudget.upsert({ where: { storeId }, create: { storeId, ...parsed.data }, update: parsed.data });
  return parsed.data;
}

/** SMS intents that cost a message since `since`. */
export function chargedSmsSince(since: Date): Prisma.MessageIntentWhereInput {
  return {
    channel: 'SMS',
    OR: [{ state: 'SENT', sentAt: { gte: since } }, { state: { in: ['SENDING', 'UNKNOWN'] }, updatedAt: { gte: since } }],
  };
}

/** The store's calendar around `now`: when today and this month began and when the next ones begin. */
export function smsPeriods(now: Date, timeZone: string): { dayStart: Date; nextDay: Date; monthStart: Date; nextMonth: Date } {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return {
    dayStart: local.startOf('day').toJSDate(), nextDay: local.startOf('day').plus({ days: 1 }).toJSDate(),
    monthStart: local.startOf('month').toJSDate(), nextMonth: local.startOf('month').plus({ months: 1 }).toJSDate(),
  };
}

/** Messages the store's SMS cost this month and today. */
export async function smsUsage(db: Database | DatabaseTx, store: { id: string; timeZone: string }, now: Date): Promise<{ month: number; today: number }> {
  const { dayStart, monthStart } = smsPeriods(now, store.timeZone);
  const [month, today] = await Promise.all([
    db.messageIntent.count({ where: { storeId: store.id, ...chargedSmsSince(monthStart) } }),
    db.messageIntent.count({ where: { storeId: store.id, ...chargedSmsSince(dayStart) } }),
  ]);
  return { month, today };
}

/** "¥12.35" for an amount in fen. */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

/**
 * Tells the store's admins once a month when SMS has used 80 % of the budget, and once when it
 * is used up (SMS then holds until the budget is raised or the month ends). Returns the alerts raised.
 */
export async function checkSmsBudget(db: Database, store: { id: string; timeZone: string }, now: Date): Promise<string[]> {
  const budget = await smsBudgetOf(db, store.id);
  const { month } = await smsUsage(db, store, now);
  const { monthStart } = smsPeriods(now, store.timeZone);
  const levels = [
    { kind: 'sms_budget_used_up' as const, reached: month >= budget.monthlyLimit, text: `短信预算已用完：本月已发 ${month}/${budget.monthlyLimit} 条（约 ${yuan(month * budget.priceFen)}），短信暂停发送，直到下月或在“消息发送队列”页提高预算。` },
    { kind: 'sms_budget_80' as const, reached: month >= Math.ceil(budget.monthlyLimit * SMS_BUDGET_ALERT_SHARE), text: `短信预算已用 ${Math.floor((month / Math.max(1, budget.monthlyLimit)) * 100)}%：本月已发 ${month}/${budget.monthlyLimit} 条（约 ${yuan(month * budget.priceFen)}）。` },
  ];
  const raised: string[] = [];
  await db.$transaction(async (tx) => {
    for (const level of levels) {
      if (!level.reached) continue;
      if (await tx.alert.findFirst({ where: { storeId: store.id, kind: level.kind, createdAt: { gte: monthStart } }, select: { id: true } })) continue;
      await raiseAlert(tx, { storeId: store.id, kind: level.kind, message: level.text, now });
      raised.push(level.kind);
    }
  });
  return raised;
}
