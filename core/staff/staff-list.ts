import type { Database } from '../db/open-database.ts';
import { suggestSuccessor } from './customer-handover.ts';

/** The staff page of a store: its members with their chats and lead counts, who each open handover goes to, and successors to suggest. */
export async function readStaffList(db: Database, storeId: string, options: { suggestSuccessors: boolean }) {
  const [members, store, handovers] = await Promise.all([
    db.staff.findMany({
      where: { storeId },
      include: { channelLinks: true, _count: { select: { leads: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } }),
    db.staffHandover.findMany({ where: { storeId, closedAt: null }, include: { to: true } }),
  ]);
  const openTo = new Map(handovers.map((h) => [h.fromStaffId, h.to.name]));
  // A consultant who owns leads or is on WeCom leaves through a handover: the one with the fewest open leads is suggested.
  const leaving = options.suggestSuccessors
    ? members.filter(
        (m) => m.role === 'CONSULTANT' && (m._count.leads > 0 || m.channelLinks.some((l) => l.channel === 'WECOM')),
      )
    : [];
  const successors = new Map(
    await Promise.all(leaving.map(async (m) => [m.id, await suggestSuccessor(db, storeId, m.id)] as const)),
  );
  return { timeZone: store.timeZone, members, openTo, successors };
}
export type StaffList = Awaited<ReturnType<typeof readStaffList>>;
export type StaffMember = StaffList['members'][number];
