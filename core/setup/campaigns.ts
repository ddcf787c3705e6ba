import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { requireSetup, StoreSettingsError } from './store-settings.ts';
import type { Principal } from '../staff/authorization.ts';

/** A new campaign with its gift, as the form sends it. */
export interface NewCampaign {
  name: string;
  startsAt: Date;
  endsAt: Date | null;
  giftName: string;
  stock: number;
  /** Point the store's active QR codes at it, so scans register for it from now on. */
  moveQrCodes: boolean;
}

const MAX_STOCK = 1_000_000;

/** Starts a campaign with its gift, audited; optionally moves the store's active QR codes to it. */
export async function createCampaign(db: Database, clock: Clock, actor: Principal, input: NewCampaign): Promise<string> {
  requireSetup(actor);
  const errors: Record<string, string> = {};
  if (input.name.trim().length < 1 || input.name.trim().length > 40) errors.name = '活动名称：1–40 个字。';
  if (Number.isNaN(input.startsAt.getTime())) errors.startsAt = '开始时间：请填写日期和时间。';
  if (input.endsAt && (Number.isNaN(input.endsAt.getTime()) || input.endsAt <= input.startsAt)) errors.endsAt = '结束时间：必须晚于开始时间（或不填）。';
  if (input.giftName.trim().length < 1 || input.giftName.trim().length > 40) errors.giftName = '礼品名称：1–40 个字。';
  if (!Number.isInteger(input.stock) || input.stock < 0 || input.stock > MAX_STOCK) errors.stock = `礼品数量：0–${MAX_STOCK} 的整数。`;
  if (Object.keys(errors).length > 0) throw new StoreSettingsError(errors);
  return db.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: { storeId: actor.storeId, name: input.name.trim(), startsAt: input.startsAt, endsAt: input.endsAt, gifts: { create: { name: input.giftName.trim(), totalStock: input.stock, stockLeft: input.stock } } },
    });
    const moved = input.moveQrCodes ? (await tx.qrSource.updateMany({ where: { storeId: actor.storeId, active: true }, data: { campaignId: campaign.id } })).count : 0;
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'campaign.created', entity: 'Campaign', entityId: campaign.id, at: clock.now(), details: { name: campaign.name, gift: input.giftName.trim(), stock: input.stock, qrCodesMoved: moved } });
    return campaign.id;
  });
}

/** Adds units to a gift's stock (a delivery of more gifts), with a guarded increment; audited. */
export async function addGiftStock(db: Database, clock: Clock, actor: Principal, giftId: string, units: number): Promise<{ totalStock: number; stockLeft: number }> {
  requireSetup(actor);
  if (!Number.isInteger(units) || units < 1 || units > MAX_STOCK) throw new StoreSettingsError({ units: `增加数量：1–${MAX_STOCK} 的整数。` });
  return db.$transaction(async (tx) => {
    const gift = await tx.gift.findFirst({ where: { id: giftId, campaign: { storeId: actor.storeId } } });
    if (!gift) throw new StoreSettingsError({ gift: '没有找到本店的这个礼品。' });
    const updated = await tx.gift.update({ where: { id: gift.id }, data: { totalStock: { increment: units }, stockLeft: { increment: units } } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'gift.stock_added', entity: 'Gift', entityId: gift.id, at: clock.now(), details: { units, before: { totalStock: gift.totalStock, stockLeft: gift.stockLeft }, after: { totalStock: updated.totalStock, stockLeft: updated.stockLeft } } });
    return { totalStock: updated.totalStock, stockLeft: updated.stockLeft };
  });
}

/** Sets or clears a campaign's end; audited. */
export async function setCampaignEnd(db: Database, clock: Clock, actor: Principal, campaignId: string, endsAt: Date | null): Promise<void> {
  requireSetup(actor);
  await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findFirst({ where: { id: campaignId, storeId: actor.storeId } });
    if (!campaign) throw new StoreSettingsError({ campaign: '没有找到本店的这个活动。' });
    if (endsAt && (Number.isNaN(endsAt.getTime()) || endsAt <= campaign.startsAt)) throw new StoreSettingsError({ endsAt: '结束时间：必须晚于活动开始时间。' });
    await tx.campaign.update({ where: { id: campaign.id }, data: { endsAt } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'campaign.end_set', entity: 'Campaign', entityId: campaign.id, at: clock.now(), details: { before: campaign.endsAt, after: endsAt } });
  });
}
