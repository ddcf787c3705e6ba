import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Prisma } from '../db/generated/client.ts';

/** How long closed tickets stay on the list. */
export const CLOSED_DAYS = 30;

const include = {
  customer: true,
  consultant: true,
  owner: true,
  closedBy: true,
  survey: true,
} satisfies Prisma.TicketInclude;
export type TicketRow = Prisma.TicketGetPayload<{ include: typeof include }>;
export type TicketAuditEntry = Prisma.AuditEntryGetPayload<{ include: { actor: true } }>;

/** The ticket list of a store: open ones (soonest due first), then those closed in the last 30 days. */
export interface TicketList {
  timeZone: string;
  now: Date;
  open: TicketRow[];
  closed: TicketRow[];
}

/** One ticket with its audit trail. */
export interface TicketDetail {
  timeZone: string;
  now: Date;
  ticket: TicketRow;
  trail: TicketAuditEntry[];
}

/** Overdue: a recall still open at its due time, a complaint nobody took within 30 minutes. */
export const isOverdue = (t: TicketRow, now: Date): boolean =>
  t.status !== 'CLOSED' && t.dueAt <= now && (t.type === 'RECALL' || t.takenAt === null);

/** Reads a store's ticket list. */
export async function readTicketList(db: Database, clock: Clock, storeId: string): Promise<TicketList> {
  const now = clock.now();
  const since = new Date(now.getTime() - CLOSED_DAYS * 24 * 3600_000);
  const [store, open, closed] = await Promise.all([
    db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } }),
    db.ticket.findMany({
      where: { storeId, status: { in: ['OPEN', 'IN_PROGRESS'] } },
      include,
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    }),
    db.ticket.findMany({
      where: { storeId, status: 'CLOSED', closedAt: { gte: since } },
      include,
      orderBy: [{ closedAt: 'desc' }, { id: 'asc' }],
    }),
  ]);
  return { timeZone: store.timeZone, now, open, closed };
}

/** Reads one ticket of a store with its audit trail; null when the store has no such ticket. */
export async function readTicket(
  db: Database,
  clock: Clock,
  storeId: string,
  ticketId: string,
): Promise<TicketDetail | null> {
  const [store, ticket] = await Promise.all([
    db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } }),
    db.ticket.findFirst({ where: { id: ticketId, storeId }, include }),
  ]);
  if (!ticket) return null;
  const trail = await db.auditEntry.findMany({
    where: { storeId, entity: 'ticket', entityId: ticket.id },
    include: { actor: true },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  return { timeZone: store.timeZone, now: clock.now(), ticket, trail };
}
