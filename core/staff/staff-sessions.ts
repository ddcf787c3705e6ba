import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';

/** How long a staff session lasts: `idleMs` after its last request, and never beyond `maxMs` after sign-in. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** A session's last request is written at most this often (not on every page view). */
const TOUCH_EVERY_MS = 60_000;

/** SHA-256 of a one-time token: only the hash is stored. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
/** 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** A signed-in staff member, as the admin pages see them. */
export interface StaffPrincipal {
  staffId: string;
  name: string;
  role: 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK' | 'ADMIN';
  storeId: string;
  groupId: string;
}

/**
 * Creates a one-time login link token for a staff member; only its hash is stored. A
 * `startup` link (printed when the bot starts) revokes that person's earlier unused start-up
 * links, so only the newest printed link works.
 */
export async function createLoginLink(db: Database, clock: Clock, staffId: string, ttlHours: number, kind: 'staff' | 'startup' = 'staff'): Promise<string> {
  const token = newToken();
  const now = clock.now();
  await db.$transaction(async (tx) => {
    if (kind === 'startup') await tx.adminLoginLink.updateMany({ where: { staffId, kind, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.adminLoginLink.create({ data: { tokenHash: hashToken(token), staffId, kind, createdAt: now, expiresAt: new Date(now.getTime() + ttlHours * 3600_000) } });
  });
  return token;
}

/**
 * Exchanges a login link for a session token. The link works once: a used, expired or
 * unknown link returns null.
 */
export async function redeemLoginLink(db: Database, clock: Clock, token: string, policy: SessionPolicy): Promise<string | null> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const used = await tx.adminLoginLink.updateMany({
      where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count === 0) return null;
    const link = await tx.adminLoginLink.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    const session = newToken();
    await tx.staffSession.create({
      data: { tokenHash: hashToken(session), staffId: link.staffId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + policy.maxMs) },
    });
    return session;
  });
}

/**
 * The staff member behind a session token, in the store the session works in, or null if it is
 * unknown, past its absolute end, idle for longer than the policy allows, or the staff member left. A live session's last
 * request is recorded (at most once a minute), which keeps it from going idle.
 */
export async function findSessionStaff(db: Database, clock: Clock, sessionToken: string, policy: SessionPolicy): Promise<StaffPrincipal | null> {
  const session = await db.staffSession.findUnique({ where: { tokenHash: hashToken(sessionToken) }, include: { staff: { include: { store: true } } } });
  const now = clock.now();
  if (!session || session.expiresAt <= now || !session.staff.active) return null;
  const lastSeen = (session.lastSeenAt ?? session.createdAt).getTime();
  if (lastSeen + policy.idleMs <= now.getTime()) return null;
  if (now.getTime() - lastSeen >= TOUCH_EVERY_MS) await db.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  const { staff } = session;
  return { staffId: staff.id, name: staff.name, role: staff.role, storeId: await sessionStore(db, staff, session.storeId), groupId: staff.store.groupId };
}

/**
 * The store a session works in: the staff member's own, or — for an admin who switched — another
 * store of their dealer group (checked on every request, so a demoted admin or a store moved out
 * of the group falls back to their own).
 */
async function sessionStore(db: Database, staff: { role: string; storeId: string; store: { groupId: string } }, switchedTo: string | null): Promise<string> {
  if (!switchedTo || switchedTo === staff.storeId || staff.role !== 'ADMIN') return staff.storeId;
  const target = await db.store.findUnique({ where: { id: switchedTo }, select: { groupId: true } });
  return target?.groupId === staff.store.groupId ? switchedTo : staff.storeId;
}

/** Ends a session (logout): the token stops working at once, on every tab. */
export async function endSession(db: Database, sessionToken: string): Promise<void> {
  await db.staffSession.deleteMany({ where: { tokenHash: hashToken(sessionToken) } });
}
