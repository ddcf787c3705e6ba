import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';
import { listPendingRegistrations, type PendingView } from './desk-confirmation.ts';
import { findVouchers, type VoucherView } from './voucher-desk.ts';
import { walkInToday, type WalkInDay } from './walk-in-parties.ts';

/** What the front desk page shows a staff member. */
export interface VoucherDeskView {
  timeZone: string;
  /** The search as typed; the vouchers it found (null before a search). */
  query: string;
  vouchers: VoucherView[] | null;
  /** Today's walk-in parties and registrations. */
  walkIn: WalkInDay;
  /** Registrations held for the desk to confirm in person; null for those who may not confirm (consultants). */
  pending: PendingView[] | null;
}

/** Reads the desk of the actor's store: a voucher search (by code or phone) when `query` is not empty, today's walk-ins, registrations to confirm. */
export async function readVoucherDesk(
  db: Database,
  clock: Clock,
  actor: Principal,
  query: string,
): Promise<VoucherDeskView> {
  const store = await db.store.findUniqueOrThrow({
    where: { id: actor.storeId },
    select: { id: true, timeZone: true },
  });
  const now = clock.now();
  const [vouchers, walkIn, pending] = await Promise.all([
    query === '' ? null : findVouchers(db, store.id, query),
    walkInToday(db, store, now),
    may(actor, 'registration.confirm', storeSubject(actor)) ? listPendingRegistrations(db, store.id, now) : null,
  ]);
  return { timeZone: store.timeZone, query, vouchers, walkIn, pending };
}
