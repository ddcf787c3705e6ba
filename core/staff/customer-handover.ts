// A consultant leaves (停用并转交): their customers go to another consultant of the same store.
// What the store's own data says moves at once, in one transaction with the deactivation and the
// audit row; what a platform says (a WeCom customer belongs to an employee) is moved by that
// channel afterwards, and what it cannot move comes back here (customer-transfer-failed.ts).
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { consultantsWithLoad, suggestOwner } from '../leads/stale-leads-job.ts';
import { messageStaff } from '../outbox/staff-message.ts';
import { may, type Principal } from './authorization.ts';

export type HandoverErrorCode = 'not_allowed' | 'from_invalid' | 'to_invalid';

/** A handover refused: `code` for the page, the message for logs and tests. */
export class HandoverError extends Error {
  constructor(readonly code: HandoverErrorCode, message: string) {
    super(message);
    this.name = 'HandoverError';
  }
}

/** What a handover moved in the store's data. */
export interface HandoverMoves {
  leads: number;
  tasks: number;
  orders: number;
  qrSources: number;
}

/** A handover, and whether this call made it (false: it was open already, e.g. a double submit). */
export interface HandoverResult {
  handover: { id: string; fromStaffId: string; toStaffId: string };
  created: boolean;
  moved: HandoverMoves;
}

/** The consultant suggested to take over: the store's other active consultant with the fewest open leads. */
export async function suggestSuccessor(db: Database | DatabaseTx, storeId: string, fromStaffId: string): Promise<{ id: string; name: string } | null> {
  const pick = suggestOwner(await consultantsWithLoad(db, storeId), fromStaffId, 'least_loaded');
  return pick ? { id: pick.id, name: pick.name } : null;
}

/** The open handover of a consultant, if any. */
export function openHandover(db: Database | DatabaseTx, fromStaffId: string) {
  return db.staffHandover.findUnique({ where: { openKey: fromStaffId }, include: { to: true } });
}

/**
 * Deactivates consultant `fromStaffId` (if still active) and hands their customers to the active
 * consultant `toStaffId` of the same store: their leads (the follow-up reminders follow the lead),
 * open tasks, undelivered orders and QR sources move; the successor is told; one audit row lists
 * what moved. Only a manager or admin of that store may (`staff.handover`). While a handover of
 * the consultant is open, asking again moves nothing and returns it, so a double submit or a retry
 * after a crash is harmless; it closes when every channel has moved its part (`closeHandover`).
 */
export async function handOverCustomers(db: Database, clock: Clock, actor: Principal, input: { fromStaffId: string; toStaffId: string }): Promise<HandoverResult> {
  const now = clock.now();
  try {
    return await db.$transaction(async (tx) => {
      const from = await tx.staff.findFirst({ where: { id: input.fromStaffId, storeId: actor.storeId, role: 'CONSULTANT' } });
      if (!from) throw new HandoverError('from_invalid', 'is not a consultant of this store');
      if (!may(actor, 'staff.handover', { storeId: from.storeId, ownerStaffId: from.id })) throw new HandoverError('not_allowed', 'only a manager or admin of the store hands customers over');
      const open = await openHandover(tx, from.id);
      if (open) return { handover: open, created: false, moved: { leads: 0, tasks: 0, orders: 0, qrSources: 0 } };
      const to = await tx.staff.findFirst({ where: { id: input.toStaffId, storeId: from.storeId, role: 'CONSULTANT', active: true } });
      if (!to || to.id === from.id) throw new HandoverError('to_invalid', 'must be another active consultant of this store');
      const handover = await tx.staffHandover.create({ data: { storeId: from.storeId, fromStaffId: from.id, toStaffId: to.id, requestedById: actor.staffId, openKey: from.id, createdAt: now } });
      const moved = await moveCustomers(tx, from.storeId, from.id, to.id);
      await tx.staff.update({ where: { id: from.id }, data: { active: false, onDuty: false } });
      await recordAudit(tx, {
        storeId: from.storeId, actorStaffId: actor.staffId, action: 'customers_handed_over', entity: 'Staff', entityId: from.id,
        details: { handoverId: handover.id, to: to.id, deactivated: from.active, leadIds: moved.leadIds, tasks: moved.tasks, orders: moved.orders, qrSources: moved.qrSources }, at: now,
      });
      await messageStaff(tx, {
        storeId: from.storeId, staffId: to.id, dedupeKey: `handover:${handover.id}`, kind: 'customers_handed_over', now,
        text: `【客户交接】${from.name} 已停用，其 ${moved.leadIds.length} 位客户的线索已转给您（企业微信客户将在客户确认后转到您的企业微信，最长 24 小时）。发送“今日”查看。`,
      });
      return { handover, created: true, moved: { leads: moved.leadIds.length, tasks: moved.tasks, orders: moved.orders, qrSources: moved.qrSources } };
    });
  } catch (error) {
    // Two submits at once: the other one's handover is the one.
    if (!isUniqueViolation(error)) throw error;
    const open = await openHandover(db, input.fromStaffId);
    if (!open) throw error;
    return { handover: open, created: false, moved: { leads: 0, tasks: 0, orders: 0, qrSources: 0 } };
  }
}

async function moveCustomers(tx: DatabaseTx, storeId: string, fromId: string, toId: string) {
  const leads = await tx.lead.findMany({ where: { storeId, ownerStaffId: fromId }, select: { id: true }, orderBy: { id: 'asc' } });
  await tx.lead.updateMany({ where: { storeId, ownerStaffId: fromId }, data: { ownerStaffId: toId, staleFlaggedAt: null } });
  const tasks = await tx.staffTask.updateMany({ where: { storeId, staffId: fromId, doneAt: null }, data: { staffId: toId } });
  const orders = await tx.order.updateMany({ where: { storeId, consultantId: fromId, status: 'ORDERED' }, data: { consultantId: toId } });
  const qrSources = await tx.qrSource.updateMany({ where: { storeId, consultantId: fromId }, data: { consultantId: toId } });
  return { leadIds: leads.map((l) => l.id), tasks: tasks.count, orders: orders.count, qrSources: qrSources.count };
}

/** Closes a handover once every channel has moved its part: the consultant may be handed over again (after being re-activated). */
export async function closeHandover(tx: Database | DatabaseTx, handoverId: string, now: Date): Promise<void> {
  await tx.staffHandover.updateMany({ where: { id: handoverId, closedAt: null }, data: { closedAt: now, openKey: null } });
}
