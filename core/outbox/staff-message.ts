import type { DatabaseTx } from '../db/open-database.ts';
import { enqueueIntent } from './enqueue-intent.ts';

/** How long a staff message may wait (for staff hours, or for a chat to be linked) before it is stale. */
export const STAFF_MESSAGE_TTL_MS = 7 * 24 * 3600_000;

/** A text for one staff member, queued in the caller's transaction; the outbox finds their chat. */
export async function messageStaff(tx: DatabaseTx, message: { storeId: string; staffId: string; dedupeKey: string; kind: string; text: string; now: Date }): Promise<boolean> {
  return enqueueIntent(tx, {
    dedupeKey: message.dedupeKey, storeId: message.storeId, staffId: message.staffId, purpose: 'STAFF', kind: message.kind,
    message: { kind: 'text', text: message.text }, sendAt: message.now, expiresAt: new Date(message.now.getTime() + STAFF_MESSAGE_TTL_MS),
  });
}

/** The store's active managers (the admins when it has none, so nobody is left out), oldest first. */
export async function storeManagers(tx: DatabaseTx, storeId: string): Promise<{ id: string; name: string }[]> {
  const find = (role: 'MANAGER' | 'ADMIN') => tx.staff.findMany({ where: { storeId, role, active: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
  const managers = await find('MANAGER');
  return managers.length > 0 ? managers : find('ADMIN');
}
