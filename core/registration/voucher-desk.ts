import type { Clock } from '../clock.ts';
import { maskPhone, normalizePhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import type { Prisma } from '../db/generated/client.ts';
import { normalizeVoucherCode } from './voucher-code.ts';

/** A voucher as the front desk sees it: the phone is masked. */
export interface VoucherView {
  code: string;
  customerName: string;
  maskedPhone: string;
  giftName: string;
  campaignName: string;
  storeTimeZone: string;
  issuedAt: Date;
  redeemedAt: Date | null;
  redeemedBy: string | null;
}

const include = { customer: true, gift: true, campaign: { include: { store: true } }, redeemedBy: true } satisfies Prisma.VoucherInclude;

type VoucherRow = Prisma.VoucherGetPayload<{ include: typeof include }>;

function toView(row: VoucherRow): VoucherView {
  return {
    code: row.code,
    customerName: row.customer.name,
    maskedPhone: maskPhone(row.customer.phone),
    giftName: row.gift.name,
    campaignName: row.campaign.name,
    storeTimeZone: row.campaign.store.timeZone,
    issuedAt: row.issuedAt,
    redeemedAt: row.redeemedAt,
    redeemedBy: row.redeemedBy?.name ?? null,
  };
}

/** Finds vouchers of the staff member's store by voucher code or by the customer's phone (any format). */
export async function findVouchers(db: Database, storeId: string, query: string): Promise<VoucherView[]> {
  const phone = normalizePhone(query);
  const code = normalizeVoucherCode(query);
  const rows = await db.voucher.findMany({
    where: {
      campaign: { storeId },
      OR: [{ code }, ...(phone ? [{ customer: { phone } }] : [])],
    },
    include,
    orderBy: { issuedAt: 'desc' },
    take: 20,
  });
  return rows.map(toView);
}

/** The outcome of a redemption attempt. */
export type RedeemResult =
  | { status: 'redeemed'; voucher: VoucherView }
  | { status: 'already_redeemed'; voucher: VoucherView }
  | { status: 'not_found' };

/**
 * Redeems a voucher once, with a guarded update; a second attempt is refused and says who
 * redeemed it and when.
 */
export async function redeemVoucher(db: Database, clock: Clock, storeId: string, rawCode: string, staffId: string): Promise<RedeemResult> {
  const code = normalizeVoucherCode(rawCode);
  const where = { code, campaign: { storeId } };
  const taken = await db.voucher.updateMany({ where: { ...where, redeemedAt: null }, data: { redeemedAt: clock.now(), redeemedByStaffId: staffId } });
  const row = await db.voucher.findFirst({ where, include });
  if (!row) return { status: 'not_found' };
  return { status: taken.count === 1 ? 'redeemed' : 'already_redeemed', voucher: toView(row) };
}
