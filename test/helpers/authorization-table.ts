import type { Action, StaffRole, Subject } from '../../core/staff/authorization.ts';

/**
 * The one table of who may do what, written out by hand (not computed from `may`): the core
 * matrix test checks `may` against it, and the HTTP and console matrix test checks every page,
 * API and command against it. A new action without a row here fails both (see ALLOWED's type,
 * and the tests that compare its keys with ACTIONS).
 *
 * Whose data, as seen from consultant `me` of store s1:
 * - customers: `own` (my lead), `otherConsultants`, `unowned` (nobody's lead yet), `otherStore`;
 * - the store's own things (its desk, tickets, settings, queue): `ownStore`, `otherStore`;
 * - staff members: `consultant`, `frontDesk`, `manager`, `admin` of my store, `otherStore`;
 * - reports: my own figures (`own`), a colleague's (`otherConsultants`), my store's (`ownStore`),
 *   another store of my dealer group's (`groupStore`), a store of another group (`otherStore`).
 */
export type Whose = 'own' | 'otherConsultants' | 'unowned' | 'ownStore' | 'consultant' | 'frontDesk' | 'manager' | 'admin' | 'groupStore' | 'otherStore';

export const ROLES: readonly StaffRole[] = ['CONSULTANT', 'MANAGER', 'FRONT_DESK', 'ADMIN'];

const CUSTOMERS = ['own', 'otherConsultants', 'unowned', 'otherStore'] as const satisfies readonly Whose[];
const STORE = ['ownStore', 'otherStore'] as const satisfies readonly Whose[];
const STAFF = ['consultant', 'frontDesk', 'manager', 'admin', 'otherStore'] as const satisfies readonly Whose[];
const INSIDE_STORE = ['own', 'otherConsultants', 'unowned'] as const satisfies readonly Whose[];
const REPORTS = ['own', 'otherConsultants', 'ownStore', 'groupStore', 'otherStore'] as const satisfies readonly Whose[];
const STORE_REPORTS = ['own', 'otherConsultants', 'ownStore'] as const satisfies readonly Whose[];

/** Per action, the data it can touch. */
export const WHOSE: Record<Action, readonly Whose[]> = {
  'customer.care': CUSTOMERS,
  'lead.manage': STORE,
  'voucher.desk': STORE,
  'registration.confirm': STORE,
  'ticket.handle': STORE,
  'store.setup': STORE,
  'outbox.manage': STORE,
  'staff.manage': STAFF,
  'staff.handover': STORE,
  'privacy.request': CUSTOMERS,
  'privacy.export': CUSTOMERS,
  'privacy.erase': CUSTOMERS,
  'customer.phone': CUSTOMERS,
  'visit.record': CUSTOMERS,
  'lead.add': STORE,
  'customer.import': STORE,
  'store.group': STORE,
  'report.view': REPORTS,
};

const none = { CONSULTANT: [], MANAGER: [], FRONT_DESK: [], ADMIN: [] };

/** Exactly the allowed cells; every other (role, action, whose) must be refused. */
export const ALLOWED: Record<Action, Record<StaffRole, readonly Whose[]>> = {
  'customer.care': { ...none, CONSULTANT: ['own'], MANAGER: INSIDE_STORE, ADMIN: INSIDE_STORE },
  'lead.manage': { ...none, MANAGER: ['ownStore'], ADMIN: ['ownStore'] },
  'voucher.desk': { CONSULTANT: ['ownStore'], MANAGER: ['ownStore'], FRONT_DESK: ['ownStore'], ADMIN: ['ownStore'] },
  'registration.confirm': { ...none, MANAGER: ['ownStore'], FRONT_DESK: ['ownStore'], ADMIN: ['ownStore'] },
  'ticket.handle': { ...none, MANAGER: ['ownStore'], FRONT_DESK: ['ownStore'], ADMIN: ['ownStore'] },
  'store.setup': { ...none, MANAGER: ['ownStore'], ADMIN: ['ownStore'] },
  'outbox.manage': { ...none, MANAGER: ['ownStore'], ADMIN: ['ownStore'] },
  'staff.manage': { ...none, MANAGER: ['consultant', 'frontDesk'], ADMIN: ['consultant', 'frontDesk', 'manager', 'admin'] },
  'staff.handover': { ...none, MANAGER: ['ownStore'], ADMIN: ['ownStore'] },
  'privacy.request': { ...none, MANAGER: INSIDE_STORE, FRONT_DESK: INSIDE_STORE, ADMIN: INSIDE_STORE },
  'privacy.export': { ...none, MANAGER: INSIDE_STORE, FRONT_DESK: INSIDE_STORE, ADMIN: INSIDE_STORE },
  'privacy.erase': { ...none, MANAGER: INSIDE_STORE, ADMIN: INSIDE_STORE },
  'customer.phone': { ...none, CONSULTANT: ['own'], MANAGER: INSIDE_STORE },
  'visit.record': { CONSULTANT: ['own'], MANAGER: INSIDE_STORE, FRONT_DESK: INSIDE_STORE, ADMIN: INSIDE_STORE },
  'lead.add': { CONSULTANT: ['ownStore'], MANAGER: ['ownStore'], FRONT_DESK: ['ownStore'], ADMIN: ['ownStore'] },
  'customer.import': { ...none, MANAGER: ['ownStore'], ADMIN: ['ownStore'] },
  'store.group': { ...none, ADMIN: ['ownStore'] },
  'report.view': { ...none, CONSULTANT: ['own'], MANAGER: STORE_REPORTS, ADMIN: [...STORE_REPORTS, 'groupStore'] },
};

/** Whether the table allows the cell. */
export function allowed(role: StaffRole, action: Action, whose: Whose): boolean {
  return ALLOWED[action][role].includes(whose);
}

/** The core Subject a `whose` is, for staff member `me` of store `s1` of group `g1` (a colleague owns others' leads; store `s3` is in `g1` too, `s2` in `g2`). */
export function subjectOf(whose: Whose): Subject {
  switch (whose) {
    case 'own': return { storeId: 's1', ownerStaffId: 'me' };
    case 'otherConsultants': return { storeId: 's1', ownerStaffId: 'colleague' };
    case 'unowned': case 'ownStore': return { storeId: 's1', ownerStaffId: null };
    case 'consultant': return { storeId: 's1', ownerStaffId: null, staffRole: 'CONSULTANT' };
    case 'frontDesk': return { storeId: 's1', ownerStaffId: null, staffRole: 'FRONT_DESK' };
    case 'manager': return { storeId: 's1', ownerStaffId: null, staffRole: 'MANAGER' };
    case 'admin': return { storeId: 's1', ownerStaffId: null, staffRole: 'ADMIN' };
    case 'groupStore': return { storeId: 's3', ownerStaffId: null, groupId: 'g1' };
    case 'otherStore': return { storeId: 's2', ownerStaffId: 'me', staffRole: 'CONSULTANT', groupId: 'g2' };
    default: return whose satisfies never;
  }
}

/**
 * Every admin page a GET opens, and the action whose row above decides who may open it (`staff`:
 * every signed-in staff member). A page opens for exactly the roles that may take its action on
 * something of their own store: their own customers and figures, or the store's own things.
 */
export const PAGES: Record<string, Action | 'staff'> = {
  '/admin': 'voucher.desk',
  '/admin/vouchers': 'voucher.desk',
  '/admin/outbox': 'outbox.manage',
  '/admin/orders': 'customer.care',
  '/admin/templates': 'store.setup',
  '/admin/tickets': 'ticket.handle',
  '/admin/tickets/:id': 'ticket.handle',
  '/admin/staff': 'staff',
  '/admin/qr-codes': 'staff',
  '/admin/qr-codes/:code/:channel.:format': 'staff',
  '/admin/console': 'staff',
  '/admin/console/messages': 'staff',
  '/admin/leads': 'staff',
  '/admin/leads/new': 'lead.add',
  '/admin/leads/:id': 'customer.care',
  '/admin/customers': 'staff',
  '/admin/customers/:id': 'visit.record',
  '/admin/customers/import': 'customer.import',
  '/admin/customers/import/jobs/:id': 'customer.import',
  '/admin/privacy': 'privacy.request',
  '/admin/store': 'store.setup',
  '/admin/reports': 'report.view',
  '/admin/reports/list': 'report.view',
};

/** Whether the table lets the role open the page. */
export function mayOpenPage(role: StaffRole, page: string): boolean {
  const action = PAGES[page];
  if (action === undefined) throw new Error(`${page} has no row in PAGES`);
  return action === 'staff' || allowed(role, action, 'own') || allowed(role, action, 'ownStore');
}
