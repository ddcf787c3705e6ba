import type { Clock } from '../clock.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { issueVoucher } from './issue-voucher.ts';
import type { PendingReason } from './pending-registration.ts';
import { registerInTransaction } from './register-customer.ts';
import { parseRegistrationRequest } from './registration-request.ts';

/** A registration waiting for the desk, as the desk sees it (the number masked). */
export interface PendingView {
  id: string;
  reason: PendingReason;
  name: string;
  maskedPhone: string;
  createdAt: Date;
}

/** How long a held registration stays on the desk's list. */
const LIST_DAYS = 7;

/** The store's registrations waiting for the desk, newest first; only those of the last week. */
export async function listPendingRegistrations(db: Database, storeId: string, now: Date): Promise<PendingView[]> {
  const rows = await db.pendingRegistration.findMany({
    where: { storeId, resolvedAt: null, createdAt: { gt: new Date(now.getTime() - LIST_DAYS * 24 * 3600_000) } },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  return rows.map((row) => ({ id: row.id, reason: row.reason as PendingReason, name: row.name, maskedPhone: maskPhone(row.phone), createdAt: row.createdAt }));
}

/** The outcome of a desk confirmation. */
export type ConfirmResult =
  | { status: 'confirmed'; name: string; voucherCode: string | null; giftName: string }
  | { status: 'not_found' }
  | { status: 'already_resolved' };

/**
 * Front-desk staff checked the person and their phone in the showroom: a held identity
 * registration is registered with that proof (its chat linked, consents recorded, voucher
 * issued), a held gift is issued. Once: a second confirmation is refused. Audited.
 */
export async function confirmPendingRegistration(db: Database, clock: Clock, args: { storeId: string; pendingId: string; staffId: string }): Promise<ConfirmResult> {
  return db.$transaction(async (tx) => {
    const now = clock.now();
    const row = await tx.pendingRegistration.findFirst({ where: { id: args.pendingId, storeId: args.storeId } });
    if (!row) return { status: 'not_found' };
    const taken = await tx.pendingRegistration.updateMany({ where: { id: row.id, resolvedAt: null }, data: { resolvedAt: now, resolvedByStaffId: args.staffId } });
    if (taken.count === 0) return { status: 'already_resolved' };
    const outcome = row.reason === 'identity' ? await confirmIdentity(tx, clock, row) : await releaseGift(tx, row.registrationId ?? '', now);
    await recordAudit(tx, {
      storeId: args.storeId, actorStaffId: args.staffId, action: 'registration.desk_confirmed', entity: 'PendingRegistration', entityId: row.id,
      details: { reason: row.reason, phone: maskPhone(row.phone), voucherIssued: outcome.voucherCode !== null }, at: now,
    });
    return { status: 'confirmed', name: row.name, ...outcome };
  });
}

type PendingRow = { request: string; channel: ChannelName; chatId: string | null; surface: string; locale: string; phone: string };

async function confirmIdentity(tx: DatabaseTx, clock: Clock, row: PendingRow): Promise<{ voucherCode: string | null; giftName: string }> {
  const request = parseRegistrationRequest(JSON.parse(row.request));
  const result = await registerInTransaction(tx, clock, request, {
    channel: row.channel, ...(row.chatId ? { chatId: row.chatId } : {}), surface: `${row.surface}+desk`,
    locale: row.locale === 'en' ? 'en' : 'zh-CN', proof: { method: 'front_desk', phone: row.phone },
  });
  return { voucherCode: result.voucherCode, giftName: result.giftName };
}

async function releaseGift(tx: DatabaseTx, registrationId: string, now: Date): Promise<{ voucherCode: string | null; giftName: string }> {
  const registration = await tx.registration.findUniqueOrThrow({ where: { id: registrationId }, include: { campaign: { include: { gifts: true } }, voucher: true } });
  const gift = registration.campaign.gifts[0];
  if (!gift) return { voucherCode: null, giftName: '' };
  if (registration.voucher) return { voucherCode: registration.voucher.code, giftName: gift.name };
  const voucherCode = await issueVoucher(tx, { campaignId: registration.campaignId, giftId: gift.id, customerId: registration.customerId, registrationId, now });
  return { voucherCode, giftName: gift.name };
}
