import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import { PRIVACY_NOTICE_VERSION } from '../consent/privacy-notice.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { followVisit } from '../journeys/after-visit.ts';
import { ensureLead } from '../leads/assign-lead.ts';
import type { ChannelName } from '../messages.ts';
import { giftIssuingOpen } from './gift-pause.ts';
import { issueVoucher } from './issue-voucher.ts';
import { holdForIdentity, holdGift, isGiftHeld } from './pending-registration.ts';
import type { IdentityProof, ProofMethod } from './phone-proof.ts';
import { MODEL_NOT_SURE } from './registration-options.ts';
import { checkRegistrationRate, DEFAULT_REGISTRATION_LIMITS, type RegistrationLimits } from './registration-limits.ts';
import { RegistrationInvalidError, type RegistrationRequest } from './registration-request.ts';

/** Where a registration came from: the channel, the chat (if any), the surface, and any proof of the number. */
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
  /** Proof, established by the caller, that the sender holds the number. A chat already linked to the number's customer needs none. */
  proof?: IdentityProof;
  /**
   * Proof that the chat is the person's, not of the number (a WeCom personal link: the external
   * user came through the consultant's contact-me code). Recorded on the identity with `proof`'s
   * method, so the chat may later ask about the customer's data.
   */
  chatProof?: ProofMethod;
}

/** What the customer is told about the gift. */
export type VoucherOutcome = 'issued' | 'confirm_at_desk' | 'out_of_stock';

/** The outcome the customer is told about. */
export interface RegistrationResult {
  /**
   * `created`: a new registration; `existing`: the proven owner of the number had registered
   * for the campaign; `pending`: a known number without proof, held for the front desk.
   */
  status: 'created' | 'existing' | 'pending';
  /** The registration's id, or the held registration's: the same shape either way. */
  reference: string;
  /** Null while pending: nothing about the number's customer is revealed. */
  customerId: string | null;
  voucher: VoucherOutcome;
  /** Only when `voucher` is `issued`. */
  voucherCode: string | null;
  giftName: string;
  campaignName: string;
}

/**
 * Registers a walk-in for the campaign behind a QR source, in one transaction: customer
 * (found by normalized phone), channel identity, visit, consents, voucher (if stock is left and
 * issuing is not paused), the thank-you and the survey; a customer who was a lead of the store
 * already (a later campaign, a lead who phoned in) is a repeat visit their consultant is told of. A number that already belongs to a customer
 * is linked only with proof (RegistrationOrigin.proof, or a chat already theirs); without it
 * the registration is held for the front desk and that customer is neither revealed nor changed.
 * Refused (RegistrationRateLimitedError) when the store or source took its limit this minute.
 */
export async function registerCustomer(
  db: Database,
  clock: Clock,
  request: RegistrationRequest,
  origin: RegistrationOrigin,
  limits: RegistrationLimits = DEFAULT_REGISTRATION_LIMITS,
): Promise<RegistrationResult> {
  return db.$transaction((tx) => registerInTransaction(tx, clock, request, origin, limits));
}

/** registerCustomer's body, for callers that already hold a transaction (a conversation step). */
export async function registerInTransaction(
  tx: DatabaseTx,
  clock: Clock,
  request: RegistrationRequest,
  origin: RegistrationOrigin,
  limits: RegistrationLimits = DEFAULT_REGISTRATION_LIMITS,
): Promise<RegistrationResult> {
  const { source, campaign, gift, modelOfInterest } = await loadSource(tx, request);
  const now = clock.now();
  const deskConfirmed = origin.proof?.method === 'front_desk';
  // Staff confirming in person are not an attack: their confirmations pass the limits and the pause.
  if (!deskConfirmed) await checkRegistrationRate(tx, { storeId: source.storeId, qrSourceId: source.id, now, limits });
  const base = { giftName: gift.name, campaignName: campaign.name };
  const existing = await tx.customer.findUnique({ where: { phone: request.phone } });
  if (existing && !(await isProven(tx, existing.id, request.phone, origin))) {
    const reference = await holdForIdentity(tx, { storeId: source.storeId, qrSourceId: source.id, request, origin, now });
    return { ...base, status: 'pending', reference, customerId: null, voucher: 'confirm_at_desk', voucherCode: null };
  }
  const customer = existing ?? (await tx.customer.create({ data: { name: request.name, phone: request.phone, locale: origin.locale } }));
  if (origin.chatId) await linkIdentity(tx, customer.id, { channel: origin.channel, externalId: origin.chatId }, origin.proof?.method ?? origin.chatProof ?? null, now);

  const previous = await tx.registration.findUnique({
    where: { campaignId_customerId: { campaignId: campaign.id, customerId: customer.id } },
    include: { voucher: true },
  });
  if (previous) {
    const voucher: VoucherOutcome = previous.voucher ? 'issued' : (await isGiftHeld(tx, previous.id)) ? 'confirm_at_desk' : 'out_of_stock';
    return { ...base, status: 'existing', reference: previous.id, customerId: customer.id, voucher, voucherCode: previous.voucher?.code ?? null };
  }

  // The consultant who received them: the channel's (a WeCom contact), else the QR code's, else the lead's owner.
  const receivedBy = (await consultantOfStore(tx, origin.consultantId, source.storeId)) ?? source.consultantId;
  const known = (await tx.lead.count({ where: { storeId: source.storeId, customerId: customer.id } })) > 0;
  const lead = await ensureLead(tx, { storeId: source.storeId, customerId: customer.id, consultantId: receivedBy, source: request.heardFrom, visitedAt: now });
  const consultantId = receivedBy ?? lead.ownerStaffId;
  const visit = await tx.visit.create({
    data: {
      customerId: customer.id, storeId: source.storeId, qrSourceId: source.id, consultantId, channel: origin.channel, visitedAt: now,
      modelOfInterest, heardFrom: request.heardFrom, companions: request.companions.join(','),
    },
  });
  const registration = await tx.registration.create({ data: { campaignId: campaign.id, customerId: customer.id, visitId: visit.id } });
  await recordConsents(tx, customer.id, `${origin.surface}:${source.code}`, request.marketingConsent, now);
  const open = deskConfirmed || (await giftIssuingOpen(tx, { storeId: source.storeId, now, limits }));
  const voucherCode = open ? await issueVoucher(tx, { campaignId: campaign.id, giftId: gift.id, customerId: customer.id, registrationId: registration.id, now }) : null;
  if (!open) await holdGift(tx, { storeId: source.storeId, qrSourceId: source.id, registrationId: registration.id, phone: request.phone, name: request.name, origin, now });
  await followVisit(tx, { ...visit, ...(origin.chatId ? { channel: origin.channel, address: origin.chatId } : {}) }, known);
  const voucher: VoucherOutcome = voucherCode ? 'issued' : open ? 'out_of_stock' : 'confirm_at_desk';
  return { ...base, status: 'created', reference: registration.id, customerId: customer.id, voucher, voucherCode };
}

/** The active QR source with its campaign and gift, and the model resolved against the store's. */
async function loadSource(tx: DatabaseTx, request: RegistrationRequest) {
  const source = await tx.qrSource.findUnique({
    where: { code: request.source },
    include: { store: { include: { carModels: { where: { active: true } } } }, campaign: { include: { gifts: true } } },
  });
  if (!source || !source.active) throw new RegistrationInvalidError({ source: `"${request.source}" is not an active QR source code` });
  const campaign = source.campaign;
  const gift = campaign?.gifts[0];
  if (!campaign || !gift) throw new RegistrationInvalidError({ source: `"${request.source}" is not linked to a campaign with a gift` });
  const modelOfInterest = resolveModel(request.modelOfInterest, source.store.carModels.map((m) => m.name));
  return { source, campaign, gift, modelOfInterest };
}

/** Proof for this number from the caller, or the chat is already one of this customer's identities. */
async function isProven(tx: DatabaseTx, customerId: string, phone: string, origin: RegistrationOrigin): Promise<boolean> {
  if (origin.proof?.phone === phone) return true;
  if (!origin.chatId) return false;
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: origin.channel, externalId: origin.chatId } }, select: { customerId: true } });
  return identity?.customerId === customerId;
}

async function recordConsents(tx: DatabaseTx, customerId: string, source: string, marketing: boolean, now: Date): Promise<void> {
  await tx.consentRecord.createMany({
    data: [
      { customerId, purpose: 'SERVICE', granted: true, source, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now },
      { customerId, purpose: 'MARKETING', granted: marketing, source, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now },
    ],
  });
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

/**
 * Links the chat to the customer with the proof it came with. A chat that stays with the same
 * customer keeps an earlier proof when this one brings none; a chat moved to another customer (the
 * desk confirmed the number's owner) keeps only the proof it came with now.
 */
async function linkIdentity(tx: DatabaseTx, customerId: string, chat: { channel: ChannelName; externalId: string }, proof: ProofMethod | null, now: Date): Promise<void> {
  const current = await tx.channelIdentity.findUnique({ where: { channel_externalId: chat } });
  if (!current) {
    await tx.channelIdentity.create({ data: { customerId, ...chat, proof, createdAt: now, lastSeenAt: now } });
    return;
  }
  const kept = current.customerId === customerId ? (proof ?? current.proof) : proof;
  await tx.channelIdentity.update({ where: { id: current.id }, data: { customerId, lastSeenAt: now, proof: kept } });
}

/** The staff member, if they are active in the store (a stale link names nobody). */
async function consultantOfStore(tx: DatabaseTx, staffId: string | undefined, storeId: string): Promise<string | null> {
  if (!staffId) return null;
  const staff = await tx.staff.findFirst({ where: { id: staffId, storeId, active: true }, select: { id: true } });
  return staff?.id ?? null;
}
