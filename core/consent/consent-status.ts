import type { DatabaseTx } from '../db/open-database.ts';

export type ConsentPurposeName = 'SERVICE' | 'MARKETING';

/**
 * The consent in force for each customer and purpose: the latest record of the ledger.
 * Keyed `${customerId}:${purpose}`; a missing key means no record (no consent).
 */
export async function consentsInForce(db: DatabaseTx, customerIds: string[]): Promise<Map<string, boolean>> {
  const records = await db.consentRecord.findMany({
    where: { customerId: { in: [...new Set(customerIds)] } },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    select: { customerId: true, purpose: true, granted: true },
  });
  const inForce = new Map<string, boolean>();
  for (const record of records) {
    const key = `${record.customerId}:${record.purpose}`;
    if (!inForce.has(key)) inForce.set(key, record.granted);
  }
  return inForce;
}
