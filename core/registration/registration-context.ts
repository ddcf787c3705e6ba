import type { DatabaseTx } from '../db/open-database.ts';
import { isQrSourceCode } from './qr-source-code.ts';
import type { RegistrationContext } from './registration-flow.ts';

/** Loads what the registration conversation shows for a QR source; null for a malformed, unknown or inactive code. */
export async function loadRegistrationContext(
  tx: DatabaseTx,
  sourceCode: string,
  retentionMonths: number,
): Promise<RegistrationContext | null> {
  if (!isQrSourceCode(sourceCode)) return null;
  const source = await tx.qrSource.findUnique({
    where: { code: sourceCode },
    include: {
      store: { include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } } } },
      campaign: { include: { gifts: true } },
    },
  });
  const gift = source?.campaign?.gifts[0];
  if (!source || !source.active || !gift) return null;
  return {
    storeName: source.store.name,
    hotline: source.store.hotline,
    retentionMonths,
    carModels: source.store.carModels.map((m) => m.name),
    giftName: gift.name,
  };
}
