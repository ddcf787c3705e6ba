import { may, storeSubject } from './authorization.ts';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import type { LeadActor } from '../leads/log-follow-up.ts';
import type { LeadRef, LocalDateTime } from './parse-command.ts';
import { formatLocalDueTime, todayList } from './today-list.ts';

/** A refusal staff can act on, already in Chinese: becomes the reply. */
export class CommandRefusal extends Error {}

/** The store's facts a command needs. */
export async function storeOf(db: Database, storeId: string) {
  return db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true, staffHoursStart: true } });
}

/** The lead of the actor's store with this customer phone. */
export async function leadByPhone(db: Database, storeId: string, phone: string) {
  const lead = await db.lead.findFirst({ where: { storeId, customer: { phone } }, include: { customer: true } });
  if (!lead) throw new CommandRefusal(`本店没有手机号 ${maskPhone(phone)} 的客户`);
  return lead;
}

/** The `n`-th item (from 1) of a numbered list staff were shown, or a refusal naming the list. */
export function nthOf<T>(list: readonly T[], n: number, listName: string): T {
  const item = list[n - 1];
  if (item !== undefined) return item;
  throw new CommandRefusal(list.length === 0
    ? `${listName}列表是空的，没有第 ${n} 位客户；可以直接写客户手机号`
    : `${listName}列表只有 ${list.length} 位客户，没有第 ${n} 位；发送“${listName}”查看最新编号`);
}

/** The lead a command names, in the actor's store: by phone, or by its number in the actor's today list. */
export async function resolveLead(db: Database, clock: Clock, actor: LeadActor, ref: LeadRef) {
  if (ref.by === 'phone') return leadByPhone(db, actor.storeId, ref.phone);
  const item = nthOf(await todayList(db, clock, actor), ref.n, '今日');
  return db.lead.findUniqueOrThrow({ where: { id: item.leadId }, include: { customer: true } });
}

/** A customer as staff read them: 王芳（138****0001）. */
export function who(lead: { customer: { name: string; phone: string } }): string {
  return `${lead.customer.name}（${maskPhone(lead.customer.phone)}）`;
}

export function nextText(next: Date | null, timeZone: string): string {
  return next ? `下次跟进 ${formatLocalDueTime(next, timeZone)}` : '无需再跟进';
}

/** A wall-clock time in the store's zone as an instant; a date alone takes `defaultTime`. */
export function localInstant(local: LocalDateTime, defaultTime: string, timeZone: string): Date {
  return DateTime.fromISO(`${local.date}T${local.time ?? defaultTime}`, { zone: timeZone }).toJSDate();
}

/** Refuses a manager command to anyone else. */
export function requireManager(actor: LeadActor, what: string): void {
  if (!may(actor, 'lead.manage', storeSubject(actor))) throw new CommandRefusal(`只有经理可以${what}`);
}
