import { maskPhone } from '../customers/phone.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { messageStaff } from '../outbox/staff-message.ts';
import { scheduleVisitSurvey } from '../surveys/visit-survey.ts';
import { formatLocalDueTime } from '../staff/today-list.ts';
import { queueVisitThanks, type VisitThanksInput } from './visit-thanks.ts';

/** A visit just recorded, in the caller's transaction: what its thank-you needs, by the visit's id. */
export type RecordedVisit = Omit<VisitThanksInput, 'visitId'> & { id: string };

/**
 * What every visit brings, first or repeat (二次到店), whichever way it was recorded (a scan in a
 * campaign, the front desk's 到店): the thank-you (`thanks:<visitId>`) and the visit survey,
 * which the survey's repeat window skips when the customer is already due one. `repeat` (the
 * customer was a lead of the store before this visit) also tells the lead's owner, once per
 * visit, so they greet the customer.
 */
export async function followVisit(tx: DatabaseTx, visit: RecordedVisit, repeat: boolean): Promise<void> {
  await queueVisitThanks(tx, { ...visit, visitId: visit.id });
  await scheduleVisitSurvey(tx, visit);
  if (!repeat) return;
  const lead = await tx.lead.findUnique({ where: { storeId_customerId: { storeId: visit.storeId, customerId: visit.customerId } }, include: { customer: true, store: true } });
  if (!lead?.ownerStaffId) return;
  const earlier = await tx.visit.count({ where: { storeId: visit.storeId, customerId: visit.customerId, id: { not: visit.id } } });
  await messageStaff(tx, {
    storeId: visit.storeId, staffId: lead.ownerStaffId, dedupeKey: `repeat-visit:${visit.id}`, kind: 'repeat_visit', now: visit.visitedAt,
    text: `【客户到店】${lead.customer.name}（${maskPhone(lead.customer.phone)}，${lead.grade}级）${formatLocalDueTime(visit.visitedAt, lead.store.timeZone)} 到店，这是第 ${earlier + 1} 次到店，请尽快接待。`,
  });
}
