import type { DatabaseTx } from '../db/open-database.ts';
import { proposeNextFollowUp } from './cadence.ts';
import { parseLeadSettings } from './lead-settings.ts';

/** The facts of a visit that create or refresh a lead. */
export interface LeadVisit {
  storeId: string;
  customerId: string;
  /** The QR source's consultant, if the code named one. */
  consultantId: string | null;
  source: string;
  visitedAt: Date;
}

/**
 * The lead of a customer at a store, created on the first visit in the registration's
 * transaction: owned by the QR source's consultant, else by the next on-duty consultant in
 * round-robin (the one given a lead longest ago), graded N and due to be graded within a day.
 * A later visit keeps the lead and its owner.
 */
export async function ensureLead(tx: DatabaseTx, visit: LeadVisit): Promise<{ id: string; ownerStaffId: string | null }> {
  const existing = await tx.lead.findUnique({ where: { storeId_customerId: { storeId: visit.storeId, customerId: visit.customerId } } });
  if (existing) return existing;
  const store = await tx.store.findUniqueOrThrow({ where: { id: visit.storeId } });
  const owner = visit.consultantId ?? (await nextOnDuty(tx, visit.storeId));
  if (owner) await tx.staff.update({ where: { id: owner }, data: { lastAssignedAt: visit.visitedAt } });
  return tx.lead.create({
    data: {
      storeId: visit.storeId, customerId: visit.customerId, ownerStaffId: owner, grade: 'N', source: visit.source,
      firstVisitAt: visit.visitedAt, nextFollowUpAt: proposeNextFollowUp('N', visit.visitedAt, parseLeadSettings(store.leadSettings)),
    },
  });
}

/** The on-duty consultant who was given a lead longest ago (never first), by name for ties. */
async function nextOnDuty(tx: DatabaseTx, storeId: string): Promise<string | null> {
  const consultants = await tx.staff.findMany({
    where: { storeId, role: 'CONSULTANT', active: true, onDuty: true },
    orderBy: [{ lastAssignedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    take: 1,
  });
  return consultants[0]?.id ?? null;
}
