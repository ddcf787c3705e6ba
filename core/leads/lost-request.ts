import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { cancelCustomerCare } from '../consent/stop-customer-care.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import { messageStaff, storeManagers } from '../outbox/staff-message.ts';
import { formatLocalDueTime } from '../staff/today-list.ts';
import { proposeNextFollowUp } from './cadence.ts';
import { leadForActor } from './change-grade.ts';
import { parseLeadSettings } from './lead-settings.ts';
import { FOLLOW_UP_GRADES, LeadActionError, type LeadActor } from './log-follow-up.ts';
import { may, storeSubject } from '../staff/authorization.ts';

/**
 * Levels of a lost lead (战败), DOMAIN.md flow 5: 1 the number is wrong or dead (truly lost, no
 * more customer care); 2 bought another brand or elsewhere (lost as a sale, still cared for as
 * a customer); 3 busy or no need now (not lost: the consultant keeps following up, slowly).
 */
export const LOST_LEVELS = { 1: '号码错误或空号', 2: '已在别处购车', 3: '暂无需求' } as const;
export type LostLevel = keyof typeof LOST_LEVELS;

export interface LostRequestInput {
  level: number;
  reason: string;
  competitorModel?: string;
}

export type LostDecision =
  | { approve: true; note?: string }
  | { approve: false; grade: string; nextFollowUpAt: Date; note?: string };

const who = (customer: { name: string; phone: string }) => `${customer.name}（${maskPhone(customer.phone)}）`;

function validateRequest(input: LostRequestInput): { level: LostLevel; reason: string; competitorModel: string | null } {
  if (input.level !== 1 && input.level !== 2 && input.level !== 3) throw new LeadActionError('level', 'level_invalid', 'must be 1, 2 or 3');
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 200) throw new LeadActionError('reason', 'reason_invalid', 'must say why (1–200 characters)');
  const competitorModel = input.competitorModel?.trim() || null;
  if (competitorModel && competitorModel.length > 60) throw new LeadActionError('competitorModel', 'competitor_invalid', 'must be at most 60 characters');
  return { level: input.level, reason, competitorModel };
}

/**
 * A consultant asks to mark a lead lost; the store's managers are told in the same
 * transaction. One pending request per lead; ordered, delivered or lost leads cannot be asked for.
 */
export async function requestLost(db: Database, clock: Clock, actor: LeadActor, leadId: string, input: LostRequestInput) {
  const now = clock.now();
  const valid = validateRequest(input);
  return db.$transaction(async (tx) => {
    const lead = await leadForActor(tx, actor, leadId);
    if (lead.grade === 'O' || lead.grade === 'D' || lead.grade === 'F') throw new LeadActionError('leadId', 'lead_closed', `is graded ${lead.grade}`);
    if (await tx.lostRequest.count({ where: { leadId, status: 'PENDING' } })) throw new LeadActionError('leadId', 'lost_pending', 'already has a request waiting');
    const request = await tx.lostRequest.create({ data: { leadId, requestedById: actor.staffId, ...valid, createdAt: now } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'lost_requested', entity: 'Lead', entityId: leadId, details: { requestId: request.id, ...valid }, at: now });
    const requester = await tx.staff.findUniqueOrThrow({ where: { id: actor.staffId } });
    const text = [
      `【战败申请】${requester.name} 申请将 ${who(lead.customer)} 定为战败`,
      `级别：${valid.level}（${LOST_LEVELS[valid.level]}）`,
      `原因：${valid.reason}${valid.competitorModel ? `\n竞品车型：${valid.competitorModel}` : ''}`,
      '发送“待审”查看编号，然后：批准 <编号>　或　驳回 <编号> <级别> <下次跟进日期> [说明]',
    ].join('\n');
    for (const manager of await storeManagers(tx, actor.storeId)) {
      await messageStaff(tx, { storeId: actor.storeId, staffId: manager.id, dedupeKey: `lost-request:${request.id}:${manager.id}`, kind: 'lost_request', text, now });
    }
    return { request, lead };
  });
}

/**
 * A manager decides a lost request. Approve: level 1 and 2 → F with the reason (level 1 also
 * stops customer care: the number reaches nobody we know); level 3 → not lost, the lead stays
 * with its consultant as C on the C cadence. Reject: back to the consultant with the manager's
 * grade and next follow-up date. Audited; the requester is told.
 */
export async function decideLost(db: Database, clock: Clock, manager: LeadActor, requestId: string, decision: LostDecision) {
  const now = clock.now();
  if (!may(manager, 'lead.manage', storeSubject(manager))) throw new LeadActionError('role', 'managers_only', 'only managers decide lost requests');
  if (!decision.approve) {
    if (!(FOLLOW_UP_GRADES as readonly string[]).includes(decision.grade)) throw new LeadActionError('grade', 'grade_not_allowed', `must be one of ${FOLLOW_UP_GRADES.join(', ')}`);
    if (decision.nextFollowUpAt <= now) throw new LeadActionError('nextFollowUpAt', 'next_in_past', 'must be in the future');
  }
  return db.$transaction(async (tx) => {
    const request = await tx.lostRequest.findFirst({ where: { id: requestId, lead: { storeId: manager.storeId } }, include: { lead: { include: { customer: true, store: true } } } });
    if (!request) throw new LeadActionError('requestId', 'request_not_found', 'is not a lost request of this store');
    if (request.status !== 'PENDING') throw new LeadActionError('requestId', 'request_decided', `was already ${request.status.toLowerCase()}`);
    const { lead } = request;
    const settings = parseLeadSettings(lead.store.leadSettings);
    const before = { grade: lead.grade, nextFollowUpAt: lead.nextFollowUpAt };
    let after: { grade: 'F' | 'N' | 'H' | 'A' | 'B' | 'C'; nextFollowUpAt: Date | null };
    if (decision.approve) {
      after = request.level === 3 ? { grade: 'C', nextFollowUpAt: proposeNextFollowUp('C', now, settings) } : { grade: 'F', nextFollowUpAt: null };
      await tx.lead.update({ where: { id: lead.id }, data: { ...after, gradedAt: now, lostLevel: request.level, lostReason: request.reason } });
      if (request.level === 1) {
        await tx.customer.update({ where: { id: lead.customerId }, data: { careStoppedAt: now, careStoppedReason: request.reason } });
        await cancelCustomerCare(tx, lead.customerId, 'a manager confirmed the number is wrong or dead');
      }
    } else {
      after = { grade: decision.grade as 'N' | 'H' | 'A' | 'B' | 'C', nextFollowUpAt: decision.nextFollowUpAt };
      await tx.lead.update({ where: { id: lead.id }, data: { ...after, gradedAt: after.grade === 'N' ? null : now } });
    }
    const status = decision.approve ? 'APPROVED' : 'REJECTED';
    await tx.lostRequest.update({ where: { id: request.id }, data: { status, decidedById: manager.staffId, decidedAt: now, decisionNote: decision.note?.trim() || null } });
    await recordAudit(tx, { storeId: manager.storeId, actorStaffId: manager.staffId, action: decision.approve ? 'lost_approved' : 'lost_rejected', entity: 'Lead', entityId: lead.id, details: { requestId, level: request.level, before, after, note: decision.note ?? null }, at: now });
    await messageStaff(tx, { storeId: manager.storeId, staffId: request.requestedById, dedupeKey: `lost-decision:${request.id}`, kind: 'lost_decision', text: decisionText(lead.customer, request.level as LostLevel, after, decision, lead.store.timeZone), now });
    return { request: { ...request, status }, lead: { ...lead, ...after } };
  });
}

function decisionText(customer: { name: string; phone: string }, level: LostLevel, after: { grade: string; nextFollowUpAt: Date | null }, decision: LostDecision, timeZone: string): string {
  const note = decision.note?.trim() ? `\n经理说明：${decision.note.trim()}` : '';
  const next = after.nextFollowUpAt ? `，下次跟进 ${formatLocalDueTime(after.nextFollowUpAt, timeZone)}` : '';
  if (!decision.approve) return `【战败申请被驳回】${who(customer)} 请继续跟进：${after.grade}级${next}${note}`;
  if (level === 3) return `【战败申请已批准】${who(customer)} 暂无需求，不算战败：转为 C级 继续跟进${next}${note}`;
  return `【战败申请已批准】${who(customer)} 已定为战败（${LOST_LEVELS[level]}）${level === 2 ? '，客户关怀照常进行' : '，不再向该号码发送关怀消息'}${note}`;
}
