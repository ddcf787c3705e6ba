import type { Database } from '../db/open-database.ts';

/** The QR sources page of a store: its sources (oldest first, with campaign and consultant) and the consultants a new one can name. */
export async function readQrSources(db: Database, storeId: string) {
  const [sources, consultants] = await Promise.all([
    db.qrSource.findMany({
      where: { storeId },
      include: { consultant: true, campaign: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    db.staff.findMany({
      where: { storeId, role: 'CONSULTANT', active: true },
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
    }),
  ]);
  return { sources, consultants };
}
export type QrSourceList = Awaited<ReturnType<typeof readQrSources>>;
