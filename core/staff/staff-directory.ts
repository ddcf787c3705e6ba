import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { may, staffSubject } from './authorization.ts';
import type { StaffPrincipal } from './staff-sessions.ts';

export const STAFF_ROLES = ['CONSULTANT', 'MANAGER', 'FRONT_DESK', 'ADMIN'] as const;
export type StaffRoleName = (typeof STAFF_ROLES)[number];

export type StaffDirectoryErrorCode = 'not_allowed' | 'name_invalid' | 'role_invalid' | 'staff_not_found' | 'not_yourself' | 'has_customers';

export class StaffDirectoryError extends Error {
  constructor(readonly code: StaffDirectoryErrorCode, message: string) {
    super(message);
    this.name = 'StaffDirectoryError';
  }
}

type Actor = Pick<StaffPrincipal, 'staffId' | 'storeId' | 'role'>;

/** Adds a staff member to the actor's store (on duty, active). Audited. */
export async function addStaff(db: Database, clock: Clock, actor: Actor, input: { name: string; role: string; senior?: boolean }) {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 40) throw new StaffDirectoryError('name_invalid', 'must be 1–40 characters');
  if (!(STAFF_ROLES as readonly string[]).includes(input.role)) throw new StaffDirectoryError('role_invalid', `must be one of ${STAFF_ROLES.join(', ')}`);
  const role = input.role as StaffRoleName;
  if (!may(actor, 'staff.manage', staffSubject(actor.storeId, role))) throw new StaffDirectoryError('not_allowed', `may not add a ${role}`);
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const staff = await tx.staff.create({ data: { storeId: actor.storeId, name, role, senior: input.senior === true } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'staff_added', entity: 'Staff', entityId: staff.id, details: { name, role, senior: staff.senior }, at: now });
    return staff;
  });
}

/** Changes whether a staff member is on duty (takes new leads), senior, or active at all. Audited. */
export async function updateStaff(db: Database, clock: Clock, actor: Actor, staffId: string, change: { onDuty?: boolean; senior?: boolean; active?: boolean }) {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const staff = await tx.staff.findFirst({ where: { id: staffId, storeId: actor.storeId } });
    if (!staff) throw new StaffDirectoryError('staff_not_found', 'is not a staff member of this store');
    if (!may(actor, 'staff.manage', staffSubject(actor.storeId, staff.role))) throw new StaffDirectoryError('not_allowed', `may not change a ${staff.role}`);
    if (staff.id === actor.staffId && change.active === false) throw new StaffDirectoryError('not_yourself', 'cannot deactivate yourself');
    if (change.active === false && staff.active && staff.role === 'CONSULTANT') {
      // Their customers would be left with nobody: a consultant leaves through the handover (customer-handover.ts).
      const [leads, wecom] = await Promise.all([tx.lead.count({ where: { ownerStaffId: staff.id } }), tx.staffChannelLink.count({ where: { staffId: staff.id, channel: 'WECOM' } })]);
      if (leads > 0 || wecom > 0) throw new StaffDirectoryError('has_customers', `owns ${leads} leads${wecom ? ' and WeCom customers' : ''}: hand them to a colleague (handover) instead`);
    }
    const updated = await tx.staff.update({ where: { id: staff.id }, data: change });
    await recordAudit(tx, {
      storeId: actor.storeId, actorStaffId: actor.staffId, action: 'staff_changed', entity: 'Staff', entityId: staff.id,
      details: { before: { onDuty: staff.onDuty, senior: staff.senior, active: staff.active }, after: change }, at: now,
    });
    return updated;
  });
}

/** Whether the actor may hand this staff member a sign-in link (same rule as managing them). */
export async function mayIssueLoginLink(db: Database, actor: Actor, staffId: string): Promise<boolean> {
  const staff = await db.staff.findFirst({ where: { id: staffId, storeId: actor.storeId, active: true } });
  return staff !== null && may(actor, 'staff.manage', staffSubject(actor.storeId, staff.role));
}
