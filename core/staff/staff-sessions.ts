import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

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
}

/** Creates a one-time login link token for a staff member; only its hash is stored. */
export async function createLoginLink(db: Database, clock: Clock, staffId: string, ttlHours: number): Promise<string> {
  const token = newToken();
  await db.adminLoginLink.create({
    data: { tokenHash: hashToken(token), staffId, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + ttlHours * 3600_000) },
  });
  return token;
}

/**
 * Exchanges a login link for a session token. The link works once: a used, expired or
 * unknown link returns null.
 */
export async function redeemLoginLink(db: Database, clock: Clock, token: string): Promise<string | null> {
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
      data: { tokenHash: hashToken(session), staffId: link.staffId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
    });
    return session;
  });
}

/** The staff member behind a session token, or null if it is unknown, expired or the staff member left. */
export async function findSessionStaff(db: Database, clock: Clock, sessionToken: string): Promise<StaffPrincipal | null> {
  const session = await db.staffSession.findUnique({ where: { tokenHash: hashToken(sessionToken) }, include: { staff: true } });
  if (!session || session.expiresAt <= clock.now() || !session.staff.active) return null;
  const { staff } = session;
  return { staffId: staff.id, name: staff.name, role: staff.role, storeId: staff.storeId };
}
