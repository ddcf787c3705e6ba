import { may, reportSubject, type Principal } from '../staff/authorization.ts';
import type { ReportDb, ReportStore } from './report-scope.ts';

/** Whose figures a report shows: one consultant's, one store's, or every store of the dealer group. */
export type ReportView =
  | { kind: 'consultant'; staffId: string }
  | { kind: 'store'; storeId: string }
  | { kind: 'group' };

/** A view the actor may see, resolved to its stores and consultant, with a title for staff. */
export interface ResolvedView {
  view: ReportView;
  stores: ReportStore[];
  consultantId: string | null;
  title: string;
}

/** The view was refused: not the actor's to see (or not there at all, which looks the same). */
export class ReportAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportAccessError';
  }
}

/** What each role sees when they ask for nothing in particular: consultants their own figures, everyone else their store's. */
export function defaultView(actor: Principal): ReportView {
  return actor.role === 'CONSULTANT' ? { kind: 'consultant', staffId: actor.staffId } : { kind: 'store', storeId: actor.storeId };
}

/**
 * Resolves a view for the actor, asking `may(report.view)` for every store it covers: a
 * consultant sees only their own figures, a manager their store's (and each of its
 * consultants'), an admin every store of their dealer group and the group as a whole.
 *
 * @throws ReportAccessError when any part of the view is not the actor's to see
 */
export async function resolveView(db: ReportDb, actor: Principal, view: ReportView): Promise<ResolvedView> {
  const refuse = () => new ReportAccessError('this report is not yours to see');
  switch (view.kind) {
    case 'consultant': {
      const staff = await db.staff.findUnique({ where: { id: view.staffId }, select: { id: true, name: true, store: { select: { id: true, groupId: true, timeZone: true, name: true } } } });
      if (!staff || !may(actor, 'report.view', reportSubject(staff.store, staff.id))) throw refuse();
      return { view, stores: [{ id: staff.store.id, timeZone: staff.store.timeZone }], consultantId: staff.id, title: `${staff.store.name} · ${staff.name}` };
    }
    case 'store': {
      const store = await db.store.findUnique({ where: { id: view.storeId }, select: { id: true, groupId: true, timeZone: true, name: true } });
      if (!store || !may(actor, 'report.view', reportSubject(store, null))) throw refuse();
      return { view, stores: [{ id: store.id, timeZone: store.timeZone }], consultantId: null, title: store.name };
    }
    case 'group': {
      const own = await db.store.findUniqueOrThrow({ where: { id: actor.storeId }, select: { group: { select: { name: true, stores: { select: { id: true, groupId: true, timeZone: true }, orderBy: { createdAt: 'asc' } } } } } });
      const stores = own.group.stores;
      if (!stores.every((s) => may(actor, 'report.view', reportSubject(s, null)))) throw refuse();
      return { view, stores: stores.map((s) => ({ id: s.id, timeZone: s.timeZone })), consultantId: null, title: `${own.group.name}（全部 ${stores.length} 家门店）` };
    }
    default:
      return view satisfies never;
  }
}

/** The views the actor may switch between: their own figures, their store, the group and its other stores (admins), the store's consultants. */
export async function viewChoices(db: ReportDb, actor: Principal): Promise<Array<{ view: ReportView; label: string }>> {
  if (actor.role === 'CONSULTANT') return [{ view: defaultView(actor), label: '我的数据' }];
  const own = await db.store.findUniqueOrThrow({ where: { id: actor.storeId }, select: { groupId: true, group: { select: { stores: { select: { id: true, groupId: true, name: true }, orderBy: { createdAt: 'asc' } } } } } });
  const stores = own.group.stores.filter((s) => may(actor, 'report.view', reportSubject(s, null)));
  const consultants = await db.staff.findMany({ where: { storeId: { in: stores.map((s) => s.id) }, role: 'CONSULTANT' }, select: { id: true, name: true, active: true, storeId: true }, orderBy: [{ active: 'desc' }, { name: 'asc' }] });
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  return [
    ...(stores.length > 1 ? [{ view: { kind: 'group' } as const, label: '集团全部门店' }] : []),
    ...stores.map((s) => ({ view: { kind: 'store', storeId: s.id } as const, label: s.name })),
    ...consultants.map((c) => ({ view: { kind: 'consultant', staffId: c.id } as const, label: `${stores.length > 1 ? `${storeName.get(c.storeId) ?? ''} · ` : ''}${c.name}${c.active ? '' : '（已离职）'}` })),
  ];
}
