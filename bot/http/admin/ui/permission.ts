import { may, type Action } from '../../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../../core/staff/staff-sessions.ts';

/** What a page asks of who opens it: a core action, or `staff` for every signed-in staff member. */
export type PagePermission = Action | 'staff';

/**
 * Whether the staff member may open a page that needs `permission`: core's `may` on the least a
 * page of that kind shows them, their own things in their own store (which customer or lead,
 * core decides again per action). The guard and the navigation both ask here.
 */
export function mayOpen(staff: StaffPrincipal, permission: PagePermission): boolean {
  return permission === 'staff' || may(staff, permission, { storeId: staff.storeId, ownerStaffId: staff.staffId });
}
