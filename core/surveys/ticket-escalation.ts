import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { alertStaff, customerLine, staffFactorLabel, staffTime, ticketPath } from './tickets.ts';

/** Which tickets one escalation run escalated. */
export interface EscalationResult {
  recallIds: string[];
  complaintIds: string[];
}

/**
 * Escalates tickets past their deadline, once each (`escalatedAt` is set by a guarded update,
 * so a second run or a second instance does nothing; keys `ticket-escalated:<id>:<staffId>`):
 *
 * - a RECALL not closed by its due time (48 h after opening) goes to the general manager. The
 *   schema has no general-manager role: the store's ADMIN staff stand for the GM (总经理).
 * - a COMPLAINT nobody took within 30 minutes goes to the store's MANAGERs (or, when the store
 *   has none, its admins).
 *
 * A deadline reached exactly counts as passed. `storeId` limits the run to one store.
 */
export async function escalateOverdueTickets(db: Database, clock: Clock, storeId?: string): Promise<EscalationResult> {
  const now = clock.now();
  const due = await db.ticket.findMany({
    where: overdueTickets(now, storeId),
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    select: { id: true, type: true },
  });
  const result: EscalationResult = { recallIds: [], complaintIds: [] };
  for (const candidate of due) {
    const escalated = await db.$transaction(async (tx) => {
      const guard = candidate.type === 'RECALL' ? {} : { takenAt: null };
      const claimed = await tx.ticket.updateMany({ where: { id: candidate.id, escalatedAt: null, status: { not: 'CLOSED' }, ...guard }, data: { escalatedAt: now } });
      if (claimed.count === 0) return false;
      const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: candidate.id }, include: { customer: true, consultant: true, owner: true, store: true } });
      const zone = ticket.store.timeZone;
      const recall = ticket.type === 'RECALL';
      const text = recall
        ? [
            `【召回超时升级】工单 ${ticket.reference} 已超过 48 小时仍未结案，请总经理督办`,
            `客户：${customerLine(ticket.customer)}`,
            `销售顾问：${ticket.consultant?.name ?? '未指定'}`,
            `评分：${ticket.score ?? '-'} 分，不满意环节：${staffFactorLabel(ticket.factor)}`,
            `负责人：${ticket.owner?.name ?? '无人接单'}`,
            `开单：${staffTime(ticket.createdAt, zone)}，应于 ${staffTime(ticket.dueAt, zone)} 前处理：${ticketPath(ticket.id)}`,
          ].join('\n')
        : [
            `【投诉超时升级】工单 ${ticket.reference} 30 分钟内无人接单，请经理立即安排处理`,
            `客户：${customerLine(ticket.customer)}`,
            `投诉内容：${ticket.description}`,
            `开单：${staffTime(ticket.createdAt, zone)}：${ticketPath(ticket.id)}`,
          ].join('\n');
      const notified = await alertStaff(tx, {
        storeId: ticket.storeId, ticketId: ticket.id, roles: recall ? ['ADMIN'] : ['MANAGER'], kind: 'ticket_escalated', keyPrefix: 'ticket-escalated', text, now,
        alertKind: 'ticket_escalated',
        alertMessage: recall ? `召回工单 ${ticket.reference} 超过 48 小时未结案，已升级至总经理` : `投诉工单 ${ticket.reference} 30 分钟内无人接单，已升级至经理`,
      });
      await recordAudit(tx, {
        storeId: ticket.storeId, actorStaffId: null, action: 'ticket.escalated', entity: 'ticket', entityId: ticket.id, at: now,
        details: { reference: ticket.reference, type: ticket.type, to: recall ? 'general_manager' : 'managers', notified, dueAt: ticket.dueAt.toISOString() },
      });
      return true;
    });
    if (escalated) (candidate.type === 'RECALL' ? result.recallIds : result.complaintIds).push(candidate.id);
  }
  return result;
}

/** Tickets past their deadline and not escalated yet (a recall not closed, a complaint nobody took), of one store or all. */
function overdueTickets(now: Date, storeId?: string) {
  return {
    ...(storeId ? { storeId } : {}),
    escalatedAt: null, status: { not: 'CLOSED' as const }, dueAt: { lte: now },
    OR: [{ type: 'RECALL' as const }, { type: 'COMPLAINT' as const, takenAt: null }],
  };
}

/**
 * Every 5 minutes (store time): escalates the store's overdue tickets. A complaint is therefore
 * escalated between 30 and 35 minutes after it came in. Missed runs catch up once.
 */
export function ticketEscalationJob(db: Database, clock: Clock, logger: Logger, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `ticket-escalation:${store.id}`, cron: '*/5 * * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 3600_000,
    hasWork: async (now) => (await db.ticket.findFirst({ where: overdueTickets(now, store.id), select: { id: true } })) !== null,
    async run() {
      const result = await escalateOverdueTickets(db, clock, store.id);
      const count = result.recallIds.length + result.complaintIds.length;
      if (count > 0) logger.warn({ storeId: store.id, recalls: result.recallIds.length, complaints: result.complaintIds.length }, 'overdue tickets escalated');
    },
  };
}
