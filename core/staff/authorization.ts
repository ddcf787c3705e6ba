import type { Database, DatabaseTx } from '../db/open-database.ts';

/** A staff member's role: what they may do is decided by `may`, in one place. */
export type StaffRole = 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK' | 'ADMIN';

/** Who acts. */
export interface Principal {
  staffId: string;
  role: StaffRole;
  storeId: string;
  /** The dealer group of their store: admins read reports across it. */
  groupId?: string;
}

/**
 * Whose data an action touches: its store, and the consultant it belongs to (the lead's owner;
 * null when nobody owns it yet, or the data is the store's own). For `staff.manage`, the role
 * of the staff member the action is about.
 */
export interface Subject {
  storeId: string;
  ownerStaffId: string | null;
  staffRole?: StaffRole;
  /** The dealer group of the subject's store, for actions that reach across a group (reports). */
  groupId?: string;
}

/**
 * What staff do to a store's data:
 * - `customer.care`: a customer's orders and delivery, birthday, follow-ups and grade;
 * - `lead.manage`: reassigning leads, deciding lost requests (战败), stale leads;
 * - `voucher.desk`: finding and redeeming registration vouchers;
 * - `registration.confirm`: confirming in person a registration held for the front desk;
 * - `ticket.handle`: taking and closing recall and complaint tickets;
 * - `store.setup`: the store's message templates and QR sources;
 * - `outbox.manage`: resending or cancelling messages, marking relayed tasks done;
 * - `staff.manage`: adding, changing and inviting staff, sign-in links, chat accounts;
 * - `staff.handover`: handing a leaving consultant's customers to another consultant (the subject's owner is the leaving consultant);
 * - `privacy.request`: recording a customer's request to see, copy or erase their data, after
 *   checking the person in person;
 * - `privacy.export`: downloading everything held about a customer (to hand it over);
 * - `privacy.erase`: erasing a customer's data on their request (cannot be undone);
 * - `customer.phone`: seeing a customer's full number on their pages (the people who call them:
 *   their consultant and the managers); everyone else reads it masked;
 * - `visit.record`: marking a registered customer as arrived (到店) at the front desk;
 * - `lead.add`: adding a lead who phoned or wrote in (no walk-in, no voucher);
 * - `customer.import`: importing existing customers and leads from a file;
 * - `store.group`: adding another store to the dealer group and switching between its stores;
 * - `report.view`: reading and exporting the figures of a store (subject owner null) or of one
 *   consultant (the owner), and the lists behind them.
 */
export const ACTIONS = ['customer.care', 'lead.manage', 'voucher.desk', 'registration.confirm', 'ticket.handle', 'store.setup', 'outbox.manage', 'staff.manage',
  'staff.handover', 'privacy.request', 'privacy.export', 'privacy.erase', 'customer.phone', 'visit.record', 'lead.add', 'customer.import', 'store.group', 'report.view'] as const;
export type Action = (typeof ACTIONS)[number];

const runsTheStore = (role: StaffRole): boolean => role === 'ADMIN' || role === 'MANAGER';

/** Per action, who may, within their own store. */
const RULES: Record<Action, (actor: Principal, subject: Subject) => boolean> = {
  'customer.care': (actor, subject) => runsTheStore(actor.role) || (actor.role === 'CONSULTANT' && subject.ownerStaffId === actor.staffId),
  'lead.manage': (actor) => runsTheStore(actor.role),
  'voucher.desk': () => true,
  'registration.confirm': (actor) => actor.role !== 'CONSULTANT',
  'ticket.handle': (actor) => actor.role !== 'CONSULTANT',
  'store.setup': (actor) => runsTheStore(actor.role),
  'outbox.manage': (actor) => runsTheStore(actor.role),
  'staff.manage': (actor, subject) => actor.role === 'ADMIN' || (actor.role === 'MANAGER' && (subject.staffRole === 'CONSULTANT' || subject.staffRole === 'FRONT_DESK')),
  'staff.handover': (actor) => runsTheStore(actor.role),
  'privacy.request': (actor) => actor.role !== 'CONSULTANT',
  'privacy.export': (actor) => actor.role !== 'CONSULTANT',
  'privacy.erase': (actor) => runsTheStore(actor.role),
  'customer.phone': (actor, subject) => actor.role === 'MANAGER' || (actor.role === 'CONSULTANT' && subject.ownerStaffId === actor.staffId),
  'visit.record': (actor, subject) => actor.role !== 'CONSULTANT' || subject.ownerStaffId === actor.staffId,
  'lead.add': () => true,
  'customer.import': (actor) => runsTheStore(actor.role),
  'store.group': (actor) => actor.role === 'ADMIN',
  'report.view': (actor, subject) => runsTheStore(actor.role) || (actor.role === 'CONSULTANT' && subject.ownerStaffId === actor.staffId),
};

/** Actions an admin may take on every store of their dealer group, not only their own. */
const GROUP_WIDE: ReadonlySet<Action> = new Set(['report.view']);

/** Whether the subject is within the actor's reach for the action: their store, or for an admin a group-wide action on their group. */
function inReach(actor: Principal, action: Action, subject: Subject): boolean {
  if (subject.storeId === actor.storeId) return true;
  return GROUP_WIDE.has(action) && actor.role === 'ADMIN' && actor.groupId !== undefined && subject.groupId === actor.groupId;
}

/**
 * The authorization rules, the only ones: every page, command and API asks here.
 * - consultant: the customers and leads they own, and the voucher desk of their store;
 * - front desk: vouchers, registrations to confirm and tickets of their store, and customers'
 *   data requests (record them, hand over the copy), nothing about customer care; erasing is for
 *   managers and admins;
 * - manager: everything of their store; of its staff, the consultants and the front desk;
 * - admin: everything of their store, all its staff, but customers' numbers masked (admins set
 *   the system up, they do not call customers); an admin adds stores to the dealer group and
 *   works in one store at a time (switching makes that store theirs for the session).
 * Reports: consultants their own figures, managers their store's, admins their dealer group's.
 * Apart from an admin's group reports, nobody touches another store's data.
 */
export function may(actor: Principal, action: Action, subject: Subject): boolean {
  return inReach(actor, action, subject) && RULES[action](actor, subject);
}

/** The subject that is a store's own figures (a report), in its dealer group. */
export function reportSubject(store: { id: string; groupId: string }, consultantId: string | null): Subject {
  return { storeId: store.id, ownerStaffId: consultantId, groupId: store.groupId };
}

/** The subject that is the actor's store itself (its settings, its queue, its desk): nobody's in particular. */
export function storeSubject(actor: Pick<Principal, 'storeId'>): Subject {
  return { storeId: actor.storeId, ownerStaffId: null };
}

/** The subject a staff member of a store is, for `staff.manage`: their role decides. */
export function staffSubject(storeId: string, staffRole: StaffRole): Subject {
  return { storeId, ownerStaffId: null, staffRole };
}

/** The subject a customer of a store is: the consultant who owns their lead there. */
export async function customerSubject(db: Database | DatabaseTx, storeId: string, customerId: string): Promise<Subject> {
  const lead = await db.lead.findFirst({ where: { storeId, customerId }, select: { ownerStaffId: true } });
  return { storeId, ownerStaffId: lead?.ownerStaffId ?? null };
}
