import { may, type Principal } from '../staff/authorization.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { proposeNextFollowUp, type Grade } from './cadence.ts';
import { parseLeadSettings } from './lead-settings.ts';

/** How a follow-up was made. */
export const FOLLOW_UP_WAYS = ['call', 'visit', 'chat', 'test_drive'] as const;
export type FollowUpWay = (typeof FOLLOW_UP_WAYS)[number];

/** Grades a consultant sets by a follow-up (O and D come from orders, F from an approved lost request). */
export const FOLLOW_UP_GRADES = ['N', 'H', 'A', 'B', 'C'] as const satisfies readonly Grade[];

/** Why a lead action was refused; staff commands and pages translate the code. */
export type LeadErrorCode =
  | 'lead_not_found' | 'not_allowed' | 'way_invalid' | 'note_missing' | 'grade_not_allowed' | 'next_in_past'
  | 'lead_closed' | 'lost_pending' | 'level_invalid' | 'reason_invalid' | 'competitor_invalid'
  | 'managers_only' | 'request_not_found' | 'request_decided' | 'consultant_invalid' | 'same_owner';

export class LeadActionError extends Error {
  constructor(readonly field: string, readonly code: LeadErrorCode, message: string) {
    super(`${field} ${message}`);
    this.name = 'LeadActionError';
  }
}

/** Who acts. */
export type LeadActor = Principal;

/** What a follow-up records. */
export interface FollowUpInput {
  way: string;
  note: string;
  grade: string;
  /** Omitted: the cadence of the new grade proposes it. */
  nextFollowUpAt?: Date | null;
}

/**
 * Records a follow-up: the way, what happened, the new grade and the next follow-up time
 * (proposed from the grade's cadence when not given; never in the past). Only the lead's owner,
 * a manager or an admin may log one.
 */
export async function logFollowUp(db: Database, clock: Clock, actor: LeadActor, leadId: string, input: FollowUpInput) {
  const now = clock.now();
  if (!(FOLLOW_UP_WAYS as readonly string[]).includes(input.way)) throw new LeadActionError('way', 'way_invalid', `must be one of ${FOLLOW_UP_WAYS.join(', ')}`);
  const note = input.note.trim();
  if (note.length === 0 || note.length > 500) throw new LeadActionError('note', 'note_missing', 'must say what happened (1–500 characters)');
  if (!(FOLLOW_UP_GRADES as readonly string[]).includes(input.grade)) throw new LeadActionError('grade', 'grade_not_allowed', `must be one of ${FOLLOW_UP_GRADES.join(', ')}`);
  const grade = input.grade as Grade;
  if (input.nextFollowUpAt && input.nextFollowUpAt <= now) throw new LeadActionError('nextFollowUpAt', 'next_in_past', 'must be in the future');
  return db.$transaction(async (tx) => {
    const lead = await tx.lead.findFirst({ where: { id: leadId, storeId: actor.storeId }, include: { store: true } });
    if (!lead) throw new LeadActionError('leadId', 'lead_not_found', `"${leadId}" is not a lead of this store`);
    if (!may(actor, 'customer.care', lead)) throw new LeadActionError('leadId', 'not_allowed', 'belongs to another consultant');
    const next = input.nextFollowUpAt ?? proposeNextFollowUp(grade, now, parseLeadSettings(lead.store.leadSettings));
    const followUp = await tx.followUp.create({
      data: { leadId: lead.id, staffId: actor.staffId, way: input.way, note, gradeBefore: lead.grade, gradeAfter: grade, nextFollowUpAt: next, at: now },
    });
    const updated = await tx.lead.update({
      where: { id: lead.id },
      data: { grade, gradedAt: grade === 'N' ? null : now, nextFollowUpAt: next },
    });
    return { lead: updated, followUp };
  });
}
