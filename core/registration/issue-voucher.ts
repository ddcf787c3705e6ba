import type { DatabaseTx } from '../db/open-database.ts';
import { generateVoucherCode } from './voucher-code.ts';

/** Takes one unit of stock with a guarded update and issues the voucher; null when none is left. */
export async function issueVoucher(
  tx: DatabaseTx,
  args: { campaignId: string; giftId: string; customerId: string; registrationId: string; now: Date },
): Promise<string | null> {
  const taken = await tx.gift.updateMany({ where: { id: args.giftId, stockLeft: { gt: 0 } }, data: { stockLeft: { decrement: 1 } } });
  if (taken.count === 0) return null;
  let code = generateVoucherCode();
  while (await tx.voucher.findUnique({ where: { code }, select: { id: true } })) code = generateVoucherCode();
  await tx.voucher.create({
    data: { code, campaignId: args.campaignId, giftId: args.giftId, customerId: args.customerId, registrationId: args.registrationId, issuedAt: args.now },
  });
  return code;
}
