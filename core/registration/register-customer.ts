import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import { PRIVACY_NOTICE_VERSION } from '../consent/privacy-notice.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { queueVisitThanks } from '../journeys/visit-thanks.ts';
import { scheduleVisitSurvey } from '../surveys/visit-survey.ts';
import { ensureLead } from '../leads/assign-lead.ts';
import type { ChannelName } from '../messages.ts';
import { MODEL_NOT_SURE } from './registration-options.ts';
import { RegistrationInvalidError, type RegistrationRequest } from './registration-request.ts';
import { generateVoucherCode } from './voucher-code.ts';

/** Where a registration came from: the channel, the chat (if any) and the surface. */
export interface RegistrationOrigin {
  channel: ChannelName;
  /** The channel identity to link (web chat session, Telegram chat...), if there is one. */
  chatId?: string;
  /**
   * The consultant the customer came through, when the channel proves it (a WeCom personal link
   * made when the customer added that consultant): the lead's owner before the QR code's.
   */
  consultantId?: string;
  /** Recorded with the consent, e.g. "web-form", "web-chat", "api". */
  surface: string;
  locale: Locale;
}

/** The outcome the customer is told about. */
export interface RegistrationResult {
  /** `created` for a new registration, `existing` when this person already registered for the campaign. */
  status: 'created' | 'existing';
  customerId: string;
  /** Null when the gift ran out before this registration. */
  voucherCode: string | null;
  giftName: string;
  campaignName: string;
}

/**
 * Registers a walk-in for the campaign behind a QR source, in one transaction: customer
 * (found by normalized phone), channel identity, visit, consents, voucher (if stock is left)
 * and the thank-you intent. Registering again for the same campaign changes nothing and
 * returns the same voucher.
 */
export async function registerCustomer(
  db: Database,
  clock: Clock,
  request: RegistrationRequest,
  origin: RegistrationOrigin,
): Promise<RegistrationResult> {
  return db.$transaction((tx) => registerInTransaction(tx, clock, request, origin));
}

/** registerCustomer's body, for callers that already hold a transaction (a conversation step). */
export async function registerInTransaction(
  tx: DatabaseTx,
  clock: Clock,
  request: RegistrationRequest,
  origin: RegistrationOrigin,
): Promise<RegistrationResult> {
  const source = await tx.qrSource.findUnique({
    where: { code: request.source },
    include: { store: { include: { carModels: { where: { active: true } } } }, campaign: { include: { gifts: true } } },
  });
  if (!source || !source.active) throw new RegistrationInvalidError({ source: `"${request.source}" is not an active QR source code` });
  const campaign = source.campaign;
  const gift = campaign?.gifts[0];
  if (!campaign || !gift) throw new RegistrationInvalidError({ source: `"${request.source}" is not linked to a campaign with a gift` });
  const modelOfInterest = resolveModel(request.modelOfInterest, source.store.carModels.map((m) => m.name));

  const now = clock.now();
  const customer =
    (await tx.customer.findUnique({ where: { phone: request.phone } })) ??
    (await tx.customer.create({ data: { name: request.name, phone: request.phone, locale: origin.locale } }));
  if (origin.chatId) await linkIdentity(tx, customer.id, origin.channel, origin.chatId, now);

  const previous = await tx.registration.findUnique({
    where: { campaignId_customerId: { campaignId: campaign.id, customerId: customer.id } },
    include: { voucher: true },
  });
  const base = { customerId: customer.id, giftName: gift.name, campaignName: campaign.name };
  if (previous) return { ...base, status: 'existing', voucherCode: previous.voucher?.code ?? null };

  // The consultant who received them: the QR code's, else the lead's owner (round-robin on the first visit).
  const receivedBy = (await consultantOfStore(tx, origin.consultantId, source.storeId)) ?? source.consultantId;
  const lead = await ensureLead(tx, { storeId: source.storeId, customerId: customer.id, consultantId: receivedBy, source: request.heardFrom, visitedAt: now });
  const consultantId = receivedBy ?? lead.ownerStaffId;
  const visit = await tx.visit.create({
    data: {
      customerId: customer.id,
      storeId: source.storeId,
      qrSourceId: source.id,
      consultantId,
      channel: origin.channel,
      visitedAt: now,
      modelOfInterest,
      heardFrom: request.heardFrom,
      companions: request.companions.join(','),
    },
  });
  const registration = await tx.registration.create({
    data: { campaignId: campaign.id, customerId: customer.id, visitId: visit.id },
  });
  const consentSource = `${origin.surface}:${source.code}`;
  await tx.consentRecord.createMany({
    data: [
      { customerId: customer.id, purpose: 'SERVICE', granted: true, source: consentSource, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now },
      { customerId: customer.id, purpose: 'MARKETING', granted: request.marketingConsent, source: consentSource, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now },
    ],
  });
  const voucherCode = await issueVoucher(tx, { campaignId: campaign.id, giftId: gift.id, customerId: customer.id, registrationId: registration.id, now });
  await queueVisitThanks(tx, {
    visitId: visit.id,
    storeId: source.storeId,
    customerId: customer.id,
    consultantId,
    visitedAt: now,
    ...(origin.chatId ? { channel: origin.channel, address: origin.chatId } : {}),
  });
  await scheduleVisitSurvey(tx, { id: visit.id, storeId: source.storeId, customerId: customer.id, consultantId, visitedAt: now });
  return { ...base, status: 'created', voucherCode };
}

/** The stored model name, null for "not sure"; refuses a model the store does not offer. */
function resolveModel(requested: string, offered: string[]): string | null {
  if (requested === MODEL_NOT_SURE) return null;
  const match = offered.find((name) => name.toLowerCase() === requested.toLowerCase());
  if (!match) {
    throw new RegistrationInvalidError({
      modelOfInterest: `must be one of the store's models (${offered.join(', ')}) or "${MODEL_NOT_SURE}"`,
    });
  }
  return match;
}

/** The origin's consultant, if they are active staff of the source's store (else the QR code decides). */
async function consultantOfStore(tx: DatabaseTx, staffId: string | undefined, storeId: string): Promise<string | null> {
  if (!staffId) return null;
  const staff = await tx.staff.findFirst({ where: { id: staffId, storeId, active: true }, select: { id: true } });
  return staff?.id ?? null;
}

async function linkIdentity(tx: DatabaseTx, customerId: string, channel: ChannelName, externalId: string, now: Date): Promise<void> {
  await tx.channelIdentity.upsert({
    where: { channel_externalId: { channel, externalId } },
    create: { customerId, channel, externalId, createdAt: now, lastSeenAt: now },
    update: { customerId, lastSeenAt: now },
  });
}

/** Takes one unit of stock with a guarded update; null when none is left. */
async function issueVoucher(
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
