import { may, storeSubject } from '../staff/authorization.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import { messageStaff } from '../outbox/staff-message.ts';
import { LeadActionError, type LeadActor } from './log-follow-up.ts';

/**
 * A manager gives a lead to another consultant of the store (e.g. a stale lead to a senior
 * consultant). Audited with before and after; the new owner is told; a stale flag is cleared,
 * so the lead is judged afresh.
 */
export async function reassignLead(db: Database, clock: Clock, manager: LeadActor, leadId: string, toStaffId: string) {
  const now = clock.now();
  if (!may(manager, 'lead.manage', storeSubject(manager))) throw new LeadActionError('role', 'managers_only', 'only managers reassign leads');
  return db.$transaction(async (tx) => {
    const lead = await tx.lead.findFirst({ where: { id: leadId, storeId: manager.storeId }, include: { customer: true } });
    if (!lead) throw new LeadActionError('leadId', 'lead_not_found', `"${leadId}" is not a lead of this store`);
    const to = await tx.staff.findFirst({ where: { id: toStaffId, storeId: manager.storeId, role: 'CONSULTANT', active: true } });
    if (!to) throw new LeadActionError('toStaffId', 'consultant_invalid', 'is not an active consultant of this store');
    if (lead.ownerStaffId === to.id) throw new LeadActionError('toStaffId', 'same_owner', 'already owns the lead');
    const updated = await tx.lead.update({ where: { id: lead.id }, data: { ownerStaffId: to.id, staleFlaggedAt: null } });
    await recordAudit(tx, { storeId: manager.storeId, actorStaffId: manager.staffId, action: 'lead_reassigned', entity: 'Lead', entityId: lead.id, details: { from: lead.ownerStaffId, to: to.id }, at: now });
    const due = lead.nextFollowUpAt ? '请按计划跟进' : '请尽快联系并定级';
    await messageStaff(tx, {
      storeId: manager.storeId, staffId: to.id, dedupeKey: `reassigned:${lead.id}:${now.getTime()}`, kind: 'lead_reassigned',
      text: `【线索转交】经理把 ${lead.customer.name}（${maskPhone(lead.customer.phone)}，${lead.grade}级）转给了您，${due}。发送“今日”查看。`, now,
    });
    return { lead: updated, to };
  });
}
