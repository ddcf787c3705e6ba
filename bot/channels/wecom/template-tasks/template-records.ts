// The WecomTemplateTask state machine in the database: every transition is a guarded UPDATE (on
// the state it leaves, and while CREATING on the lease it holds), so two instances, a retry or a
// replay after a crash change a row once; what the transition tells people (app messages with
// dedupe keys, the managers' alert) and its audit entry commit in the same transaction.
//
//   CREATING ──msgid──▶ WAITING ──status 1──▶ CONFIRMED
//      │                  │ └──status 2/3──▶ FAILED
//      └──refused─────────┴──────────────────▶ FAILED        WAITING ──7 days──▶ LAPSED
import { DateTime } from 'luxon';
import { recordAudit } from '../../../../core/audit/record-audit.ts';
import type { Prisma } from '../../../../core/db/generated/client.ts';
import type { Database, DatabaseTx } from '../../../../core/db/open-database.ts';
import { isUniqueViolation } from '../../../../core/db/unique-violation.ts';
import { raiseAlert } from '../../../../core/outbox/alerts.ts';
import { messageStaff, storeManagers } from '../../../../core/outbox/staff-message.ts';
import { askToConfirmText, chaseText, forwardByHandText, reportText } from './template-texts.ts';

export type TemplateState = 'CREATING' | 'WAITING' | 'CONFIRMED' | 'FAILED' | 'LAPSED';

/** The alert kind of an unconfirmed task on the outbox page. */
export const TASK_UNCONFIRMED = 'task_unconfirmed';

/** A row with what its messages need: the customer's and the consultant's names, the store's time zone. */
export interface TemplateRow {
  staffTaskId: string;
  storeId: string;
  staffId: string;
  sender: string;
  externalUserId: string;
  text: string;
  state: string;
  msgid: string | null;
  attempts: number;
  leaseUntil: Date | null;
  createdAt: Date;
  waitingSince: Date | null;
  chasedAt: Date | null;
  reportedAt: Date | null;
  /** The last failure, kept while CREATING. */
  error: string | null;
  names: { customer: string; consultant: string };
  intentId: string | null;
  /** The task was marked done by hand (forwarded another way): no reminder, no report. */
  taskDone: boolean;
  timeZone: string;
}

/** Loads the rows that match, with their names (oldest first). */
export async function loadTemplateRows(db: Database, where: Prisma.WecomTemplateTaskWhereInput, limit: number): Promise<TemplateRow[]> {
  const rows = await db.wecomTemplateTask.findMany({
    where, orderBy: [{ createdAt: 'asc' }, { staffTaskId: 'asc' }], take: limit,
    include: { staffTask: { include: { customer: { select: { name: true } }, staff: { select: { name: true } }, store: { select: { timeZone: true } } } } },
  });
  return rows.map(({ staffTask, ...row }) => ({
    ...row,
    names: { customer: staffTask.customer?.name ?? '客户', consultant: staffTask.staff?.name ?? row.sender },
    intentId: staffTask.intentId,
    taskDone: staffTask.doneAt !== null,
    timeZone: staffTask.store.timeZone,
  }));
}

/** Claims a task for its one template: false when it is claimed already (another instance, a replay). */
export async function claimTemplate(db: Database, claim: { staffTaskId: string; storeId: string; staffId: string; sender: string; externalUserId: string; text: string; now: Date; leaseUntil: Date }): Promise<boolean> {
  const { now, leaseUntil, ...fields } = claim;
  try {
    await db.wecomTemplateTask.create({ data: { ...fields, state: 'CREATING', attempts: 0, leaseUntil, createdAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Takes a CREATING row whose lease lapsed (its instance died, or it backed off): the lease it now holds, or null. */
export async function takeLapsedClaim(db: Database, row: TemplateRow, now: Date, leaseUntil: Date): Promise<Date | null> {
  if (!row.leaseUntil || row.leaseUntil > now) return null;
  const taken = await db.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'CREATING', leaseUntil: row.leaseUntil }, data: { leaseUntil } });
  return taken.count === 1 ? leaseUntil : null;
}

/** Counts the add_msg_template call about to start, while the lease holds. */
export async function countCall(db: Database, staffTaskId: string, lease: Date): Promise<boolean> {
  return (await db.wecomTemplateTask.updateMany({ where: { staffTaskId, state: 'CREATING', leaseUntil: lease }, data: { attempts: { increment: 1 } } })).count === 1;
}

/** Not now (WeCom busy, no answer): the row stays CREATING and is looked at again after `until`. */
export async function backOff(db: Database, staffTaskId: string, lease: Date, until: Date, error: string): Promise<void> {
  await db.wecomTemplateTask.updateMany({ where: { staffTaskId, state: 'CREATING', leaseUntil: lease }, data: { leaseUntil: until, error: error.slice(0, 500) } });
}

const askedAt = (row: TemplateRow): string => DateTime.fromJSDate(row.waitingSince ?? row.createdAt, { zone: row.timeZone }).toFormat('M月d日 HH:mm');

/**
 * The template exists (made now, or found after a crash): the consultant is asked to confirm it.
 * False when the lease was lost, or another task recorded this msgid first (it adopted this
 * row's template after a crash): the row stays CREATING and is looked up again once its lease lapses.
 */
export async function recordCreated(db: Database, row: TemplateRow, lease: Date, msgid: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'CREATING', leaseUntil: lease }, data: { state: 'WAITING', msgid, waitingSince: now, leaseUntil: null, error: null } });
    if (moved.count === 0) return false;
    await messageStaff(tx, { storeId: row.storeId, staffId: row.staffId, dedupeKey: `wecom-template-ask:${row.staffTaskId}`, kind: 'consultant_task', text: askToConfirmText({ customerName: row.names.customer, text: row.text }), now });
    await audit(tx, row, 'wecom_template.created', { msgid, sender: row.sender }, now);
    return true;
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) return false;
    throw error;
  });
}

/**
 * No template, or WeCom will not deliver it: the task stays open for the consultant to forward by
 * hand, and they are told why. From CREATING only while `lease` holds; from WAITING once.
 */
export async function recordFailed(db: Database, row: TemplateRow, from: { state: 'CREATING'; lease: Date } | { state: 'WAITING' }, reason: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const guard = from.state === 'CREATING' ? { leaseUntil: from.lease } : {};
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: from.state, ...guard }, data: { state: 'FAILED', leaseUntil: null, error: reason.slice(0, 500), checkedAt: now } });
    if (moved.count === 0) return false;
    await messageStaff(tx, { storeId: row.storeId, staffId: row.staffId, dedupeKey: `wecom-template-manual:${row.staffTaskId}`, kind: 'consultant_task', text: forwardByHandText({ customerName: row.names.customer, reason, text: row.text }), now });
    await audit(tx, row, 'wecom_template.failed', { msgid: row.msgid, reason }, now);
    return true;
  });
}

/** WeCom says the customer got it: the task is done, an open report about it resolved. */
export async function recordConfirmed(db: Database, row: TemplateRow, sentAt: Date, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'WAITING' }, data: { state: 'CONFIRMED', confirmedAt: sentAt, checkedAt: now } });
    if (moved.count === 0) return false;
    await tx.staffTask.updateMany({ where: { id: row.staffTaskId, doneAt: null }, data: { doneAt: now } });
    if (row.intentId) await tx.alert.updateMany({ where: { intentId: row.intentId, kind: TASK_UNCONFIRMED, resolvedAt: null }, data: { resolvedAt: now } });
    await audit(tx, row, 'wecom_template.confirmed', { msgid: row.msgid, sentAt: sentAt.toISOString() }, now);
    return true;
  });
}

/** Still waiting: when it was last looked at. */
export async function recordChecked(db: Database, row: TemplateRow, now: Date): Promise<void> {
  await db.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'WAITING' }, data: { checkedAt: now } });
}

/** The one reminder to the consultant. */
export async function recordChased(db: Database, row: TemplateRow, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'WAITING', chasedAt: null }, data: { chasedAt: now, checkedAt: now } });
    if (moved.count === 0) return false;
    await messageStaff(tx, { storeId: row.storeId, staffId: row.staffId, dedupeKey: `wecom-template-chase:${row.staffTaskId}`, kind: 'task_chase', text: chaseText({ customerName: row.names.customer, askedAt: askedAt(row) }), now });
    await audit(tx, row, 'wecom_template.chased', { msgid: row.msgid }, now);
    return true;
  });
}

/** Reminded and still not sent: the store's managers are told once, and the outbox page shows the alert. */
export async function recordReported(db: Database, row: TemplateRow, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'WAITING', chasedAt: { not: null }, reportedAt: null }, data: { reportedAt: now, checkedAt: now } });
    if (moved.count === 0) return false;
    const text = reportText({ consultantName: row.names.consultant, customerName: row.names.customer, askedAt: askedAt(row) });
    for (const manager of await storeManagers(tx, row.storeId)) {
      await messageStaff(tx, { storeId: row.storeId, staffId: manager.id, dedupeKey: `wecom-template-report:${row.staffTaskId}:${manager.id}`, kind: 'task_report', text, now });
    }
    // The managers were told above; the admins' hourly alert notice would say it twice.
    await raiseAlert(tx, { storeId: row.storeId, kind: TASK_UNCONFIRMED, message: text, ...(row.intentId ? { intentId: row.intentId } : {}), now, announce: false });
    await audit(tx, row, 'wecom_template.reported', { msgid: row.msgid }, now);
    return true;
  });
}

/** Not confirmed within the polling horizon: no more looks; the task stays open on the outbox page. */
export async function recordLapsed(db: Database, row: TemplateRow, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const moved = await tx.wecomTemplateTask.updateMany({ where: { staffTaskId: row.staffTaskId, state: 'WAITING' }, data: { state: 'LAPSED', checkedAt: now } });
    if (moved.count === 0) return false;
    await audit(tx, row, 'wecom_template.lapsed', { msgid: row.msgid }, now);
    return true;
  });
}

function audit(tx: DatabaseTx, row: TemplateRow, action: string, details: Record<string, unknown>, at: Date): Promise<void> {
  return recordAudit(tx, { storeId: row.storeId, actorStaffId: null, action, entity: 'StaffTask', entityId: row.staffTaskId, details, at });
}
