import { describe, expect, it } from 'vitest';
import { may, type Action, type Principal, type StaffRole } from '../../../core/staff/authorization.ts';

const ROLES: StaffRole[] = ['CONSULTANT', 'MANAGER', 'FRONT_DESK', 'ADMIN'];
const ACTIONS: Action[] = ['customer.care', 'lead.manage', 'voucher.desk', 'privacy.request', 'privacy.export', 'privacy.erase', 'staff.handover'];
/** The data an action may touch, as seen from consultant `me` of store `s1`. */
const SUBJECTS = {
  own: { storeId: 's1', ownerStaffId: 'me' },
  otherConsultants: { storeId: 's1', ownerStaffId: 'colleague' },
  unowned: { storeId: 's1', ownerStaffId: null },
  otherStore: { storeId: 's2', ownerStaffId: 'me' },
} as const;
type Whose = keyof typeof SUBJECTS;

/** Exactly the cells that are allowed; every other cell of the matrix must be refused. */
const STORE: Whose[] = ['own', 'otherConsultants', 'unowned'];
const ALLOWED: Record<StaffRole, Partial<Record<Action, Whose[]>>> = {
  CONSULTANT: { 'customer.care': ['own'], 'voucher.desk': STORE },
  MANAGER: { 'customer.care': STORE, 'lead.manage': STORE, 'voucher.desk': STORE, 'privacy.request': STORE, 'privacy.export': STORE, 'privacy.erase': STORE, 'staff.handover': STORE },
  FRONT_DESK: { 'voucher.desk': STORE, 'privacy.request': STORE, 'privacy.export': STORE },
  ADMIN: { 'customer.care': STORE, 'lead.manage': STORE, 'voucher.desk': STORE, 'privacy.request': STORE, 'privacy.export': STORE, 'privacy.erase': STORE, 'staff.handover': STORE },
};

describe('authorization matrix (core/staff/authorization.ts)', () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      for (const whose of Object.keys(SUBJECTS) as Whose[]) {
        const allowed = ALLOWED[role][action]?.includes(whose) ?? false;
        it(`${role} ${allowed ? 'may' : 'may not'} ${action} on ${whose} data`, () => {
          const actor: Principal = { staffId: 'me', role, storeId: 's1' };
          expect(may(actor, action, SUBJECTS[whose])).toBe(allowed);
        });
      }
    }
  }
});
