import { recordAudit } from '../audit/record-audit.ts';
import { may } from '../staff/authorization.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { proposeNextFollowUp, type Grade } from './cadence.ts';
import { parseLeadSettings } from './lead-settings.ts';
import { FOLLOW_UP_GRADES, LeadActionError, type LeadActor } from './log-follow-up.ts';

type LeadRow = Awaited<ReturnType<DatabaseTx['lead']['findUniqueOrThrow']>>;

/** The lead of the actor's store that the actor may act on: its owner, a manager or an admin. */
export async function leadForActor(db: Database | DatabaseTx, actor: LeadActor, leadId: string) {
  const lead = await db.lead.findFirst({ where: { id: leadId, storeId: actor.storeId }, include: { store: true, customer: true } });
  if (!lead) throw new LeadActionError('leadId', 'lead_not_found', `"${leadId}" is not a lead of this store`);
  if (!may(actor, 'customer.care', lead)) throw new LeadActionError('leadId', 'not_allowed', 'belongs to another consultant');
  return lead;
}

/**
 * Re-grades a lead without a contact to record (no FollowUp row): the new grade, and the next
 * follow-up proposed by its cadence unless given (never in the past). Same rules as a follow-up;
 * audited, so the lead's history shows who changed the grade.
 */
export async function changeGrade(db: Database, clock: Clock, actor: LeadActor, leadId: string, input: { grade: string; nextFollowUpAt?: Date | null }): Promise<LeadRow> {
  const now = clock.now();
  if (!(FOLLOW_UP_GRADES as readonly string[]).includes(input.grade)) throw new LeadActionError('grade', 'grade_not_allowed', `must be one of ${FOLLOW_UP_GRADES.join(', ')}`);
  const grade = input.grade as Grade;
  if (input.nextFollowUpAt && input.nextFollowUpAt <= now) throw new LeadActionError('nextFollowUpAt', 'next_in_past', 'must be in the future');
  return db.$transaction(async (tx) => {
    const lead = await leadForActor(tx, actor, leadId);
    const next = input.nextFollowUpAt ?? proposeNextFollowUp(grade, now, parseLeadSettings(lead.store.leadSettings));
    await recordAudit(tx, {
      storeId: actor.storeId, actorStaffId: actor.staffId, action: 'lead.graded', entity: 'Lead', entityId: lead.id, at: now,
      details: { before: { grade: lead.grade, nextFollowUpAt: lead.nextFollowUpAt }, after: { grade, nextFollowUpAt: next } },
    });
    return tx.lead.update({ where: { id: lead.id }, data: { grade, gradedAt: grade === 'N' ? null : now, nextFollowUpAt: next } });
  });
}

/** Marks a lead ordered (O) or delivered (D): no more follow-ups, the journeys take over. */
export async function recordLeadOutcome(db: Database, clock: Clock, actor: LeadActor, leadId: string, grade: 'O' | 'D'): Promise<LeadRow> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const lead = await leadForActor(tx, actor, leadId);
    return tx.lead.update({ where: { id: lead.id }, data: { grade, gradedAt: now, nextFollowUpAt: null } });
  });
}
