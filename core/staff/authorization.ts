import type { Database, DatabaseTx } from '../db/open-database.ts';

/** A staff member's role: what they may do is decided by `may`, in one place. */
export type StaffRole = 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK' | 'ADMIN';

/** Who acts. */
export interface Principal {
  staffId: string;
  role: StaffRole;
  storeId: string;
}

/** Whose data an action touches: its store, and the consultant it belongs to (the lead's owner; null when nobody owns it yet). */
export interface Subject {
  storeId: string;
  ownerStaffId: string | null;
}

/**
 * What staff do to a store's data:
 * - `customer.care`: a customer's orders and delivery, birthday, follow-ups and grade;
 * - `lead.manage`: reassigning leads, deciding lost requests (战败), stale leads;
 * - `voucher.desk`: finding and redeeming registration vouchers;
 * - `staff.handover`: handing a leaving consultant's customers to another consultant (the subject's owner is the leaving consultant).
 * - `privacy.request`: recording a customer's request to see, copy or erase their data, after
 *   checking the person in person;
 * - `privacy.export`: downloading everything held about a customer (to hand it over);
 * - `privacy.erase`: erasing a customer's data on their request (cannot be undone).
 */
export type Action = 'customer.care' | 'lead.manage' | 'voucher.desk' | 'privacy.request' | 'privacy.export' | 'privacy.erase' | 'staff.handover';

/**
 * The authorization rules, the only ones: every page, command and API asks here.
 * - consultant: the customers and leads they own, and the voucher desk of their store;
 * - manager and admin: everything of their store (admins of a dealer group see only their
 *   store until group-wide screens exist);
 * - front desk: registrations and vouchers of their store, and customers' data requests (record
 *   them, hand over the copy), nothing about customer care; erasing is for managers and admins.
 */
export function may(actor: Principal, action: Action, subject: Subject): boolean {
  if (subject.storeId !== actor.storeId) return false;
  switch (actor.role) {
    case 'ADMIN':
    case 'MANAGER':
      return true;
    case 'CONSULTANT':
      return action === 'voucher.desk' || (action === 'customer.care' && subject.ownerStaffId === actor.staffId);
    case 'FRONT_DESK':
      return action === 'voucher.desk' || action === 'privacy.request' || action === 'privacy.export';
    default:
      actor.role satisfies never;
      return false;
  }
}

/** The subject a customer of a store is: the consultant who owns their lead there. */
export async function customerSubject(db: Database | DatabaseTx, storeId: string, customerId: string): Promise<Subject> {
  const lead = await db.lead.findFirst({ where: { storeId, customerId }, select: { ownerStaffId: true } });
  return { storeId, ownerStaffId: lead?.ownerStaffId ?? null };
}
