import { DateTime } from 'luxon';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Ticket } from '../db/generated/client.ts';
import type { StaffRole } from '../db/generated/enums.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { localDate } from '../journeys/local-time.ts';
import { messageStaff } from '../outbox/staff-message.ts';
import { FACTORS, factorLabel, type Factor } from './survey-texts.ts';
import { scheduleReSurvey } from './re-survey.ts';
import { isTicketCategory, ticketCategoryLabel, TICKET_CATEGORIES, type TicketCategory } from './ticket-categories.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A recall (low score) must be handled within 48 hours. */
export const RECALL_DUE_MS = 48 * HOUR_MS;
/** A complaint must be taken by someone within 30 minutes. */
export const COMPLAINT_TAKE_MS = 30 * MINUTE_MS;
/** Scores below this open a recall ticket. */
export const RECALL_BELOW = 8;
const MAX_TEXT = 2000;

/** A survey factor as staff read it (Chinese), or 未说明. */
export function staffFactorLabel(factor: string | null | undefined): string {
  if (!factor) return '未说明';
  return (FACTORS as readonly string[]).includes(factor) ? factorLabel(factor as Factor, 'zh-CN') : factor;
}

/** Why a ticket change was refused; pages translate these, not the English message. */
export type TicketErrorCode =
  | 'ticket_not_found' | 'ticket_closed' | 'ticket_taken' | 'staff_invalid' | 'store_not_found'
  | 'customer_not_found' | 'consultant_invalid' | 'survey_invalid' | 'score_invalid' | 'score_not_low'
  | 'description_missing' | 'source_missing' | 'text_too_long' | 'category_invalid'
  | 'root_cause_missing' | 'action_missing' | 'outcome_missing' | 'satisfaction_invalid';

/** A ticket change that cannot be made: the field, a stable code, and what to fix. */
export class TicketError extends Error {
  readonly fields: Record<string, string>;
  constructor(readonly field: string, readonly code: TicketErrorCode, message: string, fields?: Record<string, string>) {
    super(`${field} ${message}`);
    this.name = 'TicketError';
    this.fields = fields ?? { [field]: message };
  }
}

/** `M月d日 HH:mm` in the store's time zone, for staff messages. */
export function staffTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('M月d日 HH:mm');
}

/** The admin page of a ticket (a path: the core does not know the public base URL). */
export function ticketPath(ticketId: string): string {
  return `/admin/tickets/${ticketId}`;
}

/** `张三（138****5678）`, or a placeholder when the ticket has no customer. */
export function customerLine(customer: { name: string; phone: string } | null): string {
  return customer ? `${customer.name}（${maskPhone(customer.phone)}）` : '未登记客户';
}

/**
 * Tells some of a store's staff about a ticket at once: one STAFF intent per active member
 * with one of `roles` (falling back to the store's admins when there is none, so nobody is
 * left out), keys `<keyPrefix>:<ticketId>:<staffId>`, plus one Alert row for /admin/outbox.
 * Returns the staff ids messaged.
 */
export async function alertStaff(tx: DatabaseTx, input: {
  storeId: string; ticketId: string; roles: StaffRole[]; kind: string; keyPrefix: string;
  text: string; alertKind: string; alertMessage: string; now: Date;
}): Promise<string[]> {
  const find = (roles: StaffRole[]) => tx.staff.findMany({ where: { storeId: input.storeId, role: { in: roles }, active: true }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  let staff = await find(input.roles);
  if (staff.length === 0 && !input.roles.includes('ADMIN')) staff = await find(['ADMIN']);
  for (const member of staff) {
    await messageStaff(tx, { storeId: input.storeId, staffId: member.id, dedupeKey: `${input.keyPrefix}:${input.ticketId}:${member.id}`, kind: input.kind, text: input.text, now: input.now });
  }
  await tx.alert.create({ data: { storeId: input.storeId, kind: input.alertKind, message: input.alertMessage, createdAt: input.now } });
  return staff.map((s) => s.id);
}

/**
 * The next reference of the store's local day, `TS-YYYYMMDD-NNNN`: one more than the store's
 * highest of that day. References are unique across stores too; with several stores on one
 * database a number another store already used is skipped.
 */
export async function nextTicketReference(tx: DatabaseTx, storeId: string, timeZone: string, now: Date): Promise<string> {
  const prefix = `TS-${localDate(now, timeZone).replaceAll('-', '')}-`;
  const today = await tx.ticket.findMany({ where: { storeId, reference: { startsWith: prefix } }, select: { reference: true } });
  let sequence = today.reduce((max, t) => Math.max(max, Number(t.reference.slice(prefix.length)) || 0), 0) + 1;
  const reference = () => `${prefix}${String(sequence).padStart(4, '0')}`;
  while (await tx.ticket.findUnique({ where: { reference: reference() }, select: { id: true } })) sequence += 1;
  return reference();
}

function audit(ticket: Pick<Ticket, 'storeId' | 'id'>, actorStaffId: string | null, action: string, at: Date, details: Record<string, unknown>) {
  return { storeId: ticket.storeId, actorStaffId, action, entity: 'ticket', entityId: ticket.id, at, details };
}

async function storeOf(tx: DatabaseTx, storeId: string) {
  const store = await tx.store.findUnique({ where: { id: storeId }, select: { id: true, timeZone: true } });
  if (!store) throw new TicketError('storeId', 'store_not_found', `"${storeId}" is not a store`);
  return store;
}

async function staffName(tx: DatabaseTx, storeId: string, staffId: string | null | undefined): Promise<string | null> {
  if (!staffId) return null;
  const staff = await tx.staff.findFirst({ where: { id: staffId, storeId } });
  if (!staff) throw new TicketError('consultantId', 'consultant_invalid', `"${staffId}" is not staff of this store`);
  return staff.name;
}

function cleanText(field: string, value: string | null | undefined, missing: TicketErrorCode): string {
  const text = (value ?? '').trim();
  if (text.length === 0) throw new TicketError(field, missing, 'is required');
  if (text.length > MAX_TEXT) throw new TicketError(field, 'text_too_long', `must be at most ${MAX_TEXT} characters`);
  return text;
}

export interface RecallInput {
  storeId: string;
  customerId: string;
  consultantId: string | null;
  surveyId: string;
  score: number;
  factor: string | null;
  comment: string | null;
}

/**
 * For a final survey score below 8 (召回行动): opens a RECALL ticket due in 48 hours and alerts
 * the store's managers at once. One recall per survey: a second call returns the first ticket.
 * Runs in the caller's transaction, so the survey answer and its ticket commit together.
 */
export async function openRecallTicket(tx: DatabaseTx, clock: Clock, input: RecallInput): Promise<Ticket> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 10) throw new TicketError('score', 'score_invalid', 'must be a whole number from 1 to 10');
  if (input.score >= RECALL_BELOW) throw new TicketError('score', 'score_not_low', `must be below ${RECALL_BELOW} for a recall`);
  const now = clock.now();
  const store = await storeOf(tx, input.storeId);
  const survey = await tx.survey.findFirst({ where: { id: input.surveyId, storeId: store.id, customerId: input.customerId } });
  if (!survey) throw new TicketError('surveyId', 'survey_invalid', `"${input.surveyId}" is not this customer's survey in this store`);
  const existing = await tx.ticket.findFirst({ where: { type: 'RECALL', surveyId: survey.id } });
  if (existing) return existing;
  const customer = await tx.customer.findUnique({ where: { id: input.customerId } });
  if (!customer) throw new TicketError('customerId', 'customer_not_found', `"${input.customerId}" is not a customer`);
  const consultant = await staffName(tx, store.id, input.consultantId);
  const comment = input.comment?.trim() || null;
  const label = staffFactorLabel(input.factor);

  const ticket = await tx.ticket.create({
    data: {
      reference: await nextTicketReference(tx, store.id, store.timeZone, now),
      storeId: store.id, type: 'RECALL', customerId: customer.id, consultantId: input.consultantId ?? null, surveyId: survey.id,
      score: input.score, factor: input.factor, description: `回访评分 ${input.score} 分，不满意环节：${label}${comment ? `。客户留言：${comment}` : ''}`,
      dueAt: new Date(now.getTime() + RECALL_DUE_MS), createdAt: now,
    },
  });
  const text = [
    `【低分召回】工单 ${ticket.reference}`,
    `客户：${customerLine(customer)}`,
    `销售顾问：${consultant ?? '未指定'}`,
    `评分：${input.score} 分`,
    `不满意环节：${label}`,
    `客户留言：${comment ?? '（无）'}`,
    `请在 ${staffTime(ticket.dueAt, store.timeZone)} 前联系客户并处理：${ticketPath(ticket.id)}`,
  ].join('\n');
  const notified = await alertStaff(tx, {
    storeId: store.id, ticketId: ticket.id, roles: ['MANAGER'], kind: 'ticket_opened', keyPrefix: 'ticket-opened', text, now,
    alertKind: 'recall_opened', alertMessage: `低分召回 ${ticket.reference}：${customerLine(customer)} 评分 ${input.score} 分（${label}），48 小时内处理`,
  });
  await recordAudit(tx, audit(ticket, null, 'ticket.opened', now, { type: 'RECALL', reference: ticket.reference, surveyId: survey.id, score: input.score, factor: input.factor, notified }));
  return ticket;
}

export interface ComplaintInput {
  storeId: string;
  customerId?: string | null;
  consultantId?: string | null;
  description: string;
  /** Where it came in, e.g. `web-chat`, `phone`, `walk_in`, `survey`. */
  source: string;
  /** The chat it came from (`WEB:<session>`), when it came by chat: complaints are limited per chat. */
  chatKey?: string;
  /** What it is about, one of TICKET_CATEGORIES (anything else is refused), when known: staff opening it by hand choose one. */
  category?: string | null;
  /** The staff member who recorded it (a phone or walk-in complaint); null when it came by chat. */
  openedByStaffId?: string | null;
}

function checkCategory(category: unknown): TicketCategory | null {
  if (category === null || category === undefined) return null;
  if (!isTicketCategory(category)) throw new TicketError('category', 'category_invalid', `must be one of ${TICKET_CATEGORIES.join(', ')}`);
  return category;
}

/**
 * Records a complaint (投诉) as a COMPLAINT ticket that must be taken within 30 minutes and
 * alerts customer relations at once (FRONT_DESK staff, who act as customer relations, and the
 * managers). Returns the ticket; the caller acknowledges the customer with its reference.
 */
export async function openComplaintTicket(tx: DatabaseTx, clock: Clock, input: ComplaintInput): Promise<Ticket> {
  const description = cleanText('description', input.description, 'description_missing');
  const source = cleanText('source', input.source, 'source_missing');
  const category = checkCategory(input.category);
  const now = clock.now();
  const store = await storeOf(tx, input.storeId);
  const customer = input.customerId ? await tx.customer.findUnique({ where: { id: input.customerId } }) : null;
  if (input.customerId && !customer) throw new TicketError('customerId', 'customer_not_found', `"${input.customerId}" is not a customer`);
  const consultant = await staffName(tx, store.id, input.consultantId);

  const ticket = await tx.ticket.create({
    data: {
      reference: await nextTicketReference(tx, store.id, store.timeZone, now),
      storeId: store.id, type: 'COMPLAINT', customerId: customer?.id ?? null, consultantId: input.consultantId ?? null,
      description, category, dueAt: new Date(now.getTime() + COMPLAINT_TAKE_MS), createdAt: now, chatKey: input.chatKey ?? null,
    },
  });
  const text = [
    `【客户投诉】工单 ${ticket.reference}`,
    `客户：${customerLine(customer)}`,
    ...(consultant ? [`销售顾问：${consultant}`] : []),
    `来源：${source}`,
    ...(category ? [`类别：${ticketCategoryLabel(category)}`] : []),
    `投诉内容：${description}`,
    `请在 ${staffTime(ticket.dueAt, store.timeZone)} 前（30 分钟内）接单处理：${ticketPath(ticket.id)}`,
  ].join('\n');
  const notified = await alertStaff(tx, {
    storeId: store.id, ticketId: ticket.id, roles: ['FRONT_DESK', 'MANAGER'], kind: 'ticket_opened', keyPrefix: 'ticket-opened', text, now,
    alertKind: 'complaint_opened', alertMessage: `客户投诉 ${ticket.reference}：${customerLine(customer)}，30 分钟内须有人接单`,
  });
  await recordAudit(tx, audit(ticket, input.openedByStaffId ?? null, 'ticket.opened', now, { type: 'COMPLAINT', reference: ticket.reference, source, category, notified }));
  return ticket;
}

async function ticketAndStaff(tx: DatabaseTx, ticketId: string, staffId: string) {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId } });
  if (!ticket) throw new TicketError('ticketId', 'ticket_not_found', `"${ticketId}" is not a ticket`);
  if (ticket.status === 'CLOSED') throw new TicketError('ticketId', 'ticket_closed', `${ticket.reference} is already closed`);
  const staff = await tx.staff.findFirst({ where: { id: staffId, storeId: ticket.storeId, active: true } });
  if (!staff) throw new TicketError('staffId', 'staff_invalid', `"${staffId}" is not active staff of the ticket's store`);
  return { ticket, staff };
}

/**
 * A staff member takes a ticket: they own it from now (IN_PROGRESS). Taking one's own ticket
 * again is a no-op; a ticket someone else owns is refused (`ticket_taken`), so two people do
 * not call the same customer.
 */
export async function takeTicket(db: Database, clock: Clock, ticketId: string, staffId: string): Promise<Ticket> {
  return db.$transaction(async (tx) => {
    const { ticket, staff } = await ticketAndStaff(tx, ticketId, staffId);
    if (ticket.ownerStaffId === staff.id) return ticket;
    if (ticket.ownerStaffId) throw new TicketError('ticketId', 'ticket_taken', `${ticket.reference} is already taken by someone else`);
    const now = clock.now();
    const taken = await tx.ticket.update({ where: { id: ticket.id }, data: { ownerStaffId: staff.id, takenAt: now, status: 'IN_PROGRESS' } });
    await recordAudit(tx, audit(ticket, staff.id, 'ticket.taken', now, { reference: ticket.reference, minutesAfterOpening: Math.round((now.getTime() - ticket.createdAt.getTime()) / MINUTE_MS) }));
    return taken;
  });
}

export interface CloseInput {
  rootCause: string;
  actionTaken: string;
  /** The customer's outcome: what was agreed or done for them. */
  outcome: string;
  /** The customer's satisfaction after handling, 1–10. */
  finalSatisfaction?: number | null;
  /** Survey the customer again (the next day at the survey hour, outside the repeat window rule). */
  reSurvey?: boolean;
}

/**
 * Closes a ticket with its resolution. Refuses (TicketError naming the field) without a root
 * cause, the action taken and the customer's outcome; `fields` lists every missing one.
 * A ticket nobody took is taken by the closer at closing.
 */
export async function closeTicket(db: Database, clock: Clock, ticketId: string, staffId: string, input: CloseInput): Promise<Ticket> {
  const required = [['rootCause', input.rootCause, 'root_cause_missing'], ['actionTaken', input.actionTaken, 'action_missing'], ['outcome', input.outcome, 'outcome_missing']] as const;
  const missing = required.filter(([, value]) => (value ?? '').trim().length === 0);
  if (missing.length > 0) {
    const [field, , code] = missing[0]!;
    throw new TicketError(field, code, 'is required to close a ticket', Object.fromEntries(missing.map(([f]) => [f, 'is required to close a ticket'])));
  }
  const rootCause = cleanText('rootCause', input.rootCause, 'root_cause_missing');
  const actionTaken = cleanText('actionTaken', input.actionTaken, 'action_missing');
  const outcome = cleanText('outcome', input.outcome, 'outcome_missing');
  const satisfaction = input.finalSatisfaction ?? null;
  if (satisfaction !== null && (!Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 10)) {
    throw new TicketError('finalSatisfaction', 'satisfaction_invalid', 'must be a whole number from 1 to 10');
  }
  return db.$transaction(async (tx) => {
    const { ticket, staff } = await ticketAndStaff(tx, ticketId, staffId);
    const now = clock.now();
    const closed = await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        status: 'CLOSED', rootCause, actionTaken, outcome, finalSatisfaction: satisfaction, closedAt: now, closedByStaffId: staff.id,
        ownerStaffId: ticket.ownerStaffId ?? staff.id, takenAt: ticket.takenAt ?? now,
      },
    });
    const reSurveyId = input.reSurvey && ticket.customerId ? await scheduleReSurvey(tx, { ...ticket, customerId: ticket.customerId }, now) : null;
    await recordAudit(tx, audit(ticket, staff.id, 'ticket.closed', now, {
      reference: ticket.reference, rootCause, actionTaken, outcome, finalSatisfaction: satisfaction, reSurvey: input.reSurvey ?? false, reSurveyId,
    }));
    return closed;
  });
}

/** Sets (or changes) a ticket's category while it is open; audited (`ticket.categorized`). */
export async function setTicketCategory(db: Database, clock: Clock, ticketId: string, staffId: string, category: string): Promise<Ticket> {
  const value = checkCategory(category);
  if (value === null) throw new TicketError('category', 'category_invalid', `must be one of ${TICKET_CATEGORIES.join(', ')}`);
  return db.$transaction(async (tx) => {
    const { ticket, staff } = await ticketAndStaff(tx, ticketId, staffId);
    const now = clock.now();
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { category: value } });
    await recordAudit(tx, audit(ticket, staff.id, 'ticket.categorized', now, { reference: ticket.reference, before: ticket.category, after: value }));
    return updated;
  });
}
