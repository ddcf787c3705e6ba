import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import type { RegistrationRequest } from './registration-request.ts';

/** Why the front desk must confirm a registration in person. */
export type PendingReason = 'identity' | 'gift_paused';

/** Where a held registration came from, to link the right chat once confirmed. */
export interface PendingOrigin {
  channel: ChannelName;
  chatId?: string;
  surface: string;
  locale: string;
}

/**
 * Holds a registration for a known number sent without proof: only what the sender typed is
 * kept, in its own table, and nothing about the customer who has the number is read out or
 * changed. The same sender (number, chat, source) sending again finds the same row.
 */
export async function holdForIdentity(
  tx: DatabaseTx,
  args: { storeId: string; qrSourceId: string; request: RegistrationRequest; origin: PendingOrigin; now: Date },
): Promise<string> {
  const { request, origin } = args;
  const same = await tx.pendingRegistration.findFirst({
    where: { storeId: args.storeId, qrSourceId: args.qrSourceId, reason: 'identity', phone: request.phone, chatId: origin.chatId ?? null, resolvedAt: null },
    select: { id: true },
  });
  if (same) return same.id;
  const row = await tx.pendingRegistration.create({
    data: {
      storeId: args.storeId, qrSourceId: args.qrSourceId, reason: 'identity', request: JSON.stringify(request),
      phone: request.phone, name: request.name, channel: origin.channel, chatId: origin.chatId ?? null,
      surface: origin.surface, locale: origin.locale, createdAt: args.now,
    },
  });
  return row.id;
}

/** Holds the voucher of a new registration made while gift issuing is paused: the desk issues it after a look. */
export async function holdGift(
  tx: DatabaseTx,
  args: { storeId: string; qrSourceId: string; registrationId: string; phone: string; name: string; origin: PendingOrigin; now: Date },
): Promise<void> {
  const { origin } = args;
  await tx.pendingRegistration.create({
    data: {
      storeId: args.storeId, qrSourceId: args.qrSourceId, reason: 'gift_paused', phone: args.phone, name: args.name,
      channel: origin.channel, chatId: origin.chatId ?? null, surface: origin.surface, locale: origin.locale,
      registrationId: args.registrationId, createdAt: args.now,
    },
  });
}

/** Whether a registration's voucher is held for the desk. */
export async function isGiftHeld(tx: DatabaseTx, registrationId: string): Promise<boolean> {
  const row = await tx.pendingRegistration.findFirst({ where: { registrationId, reason: 'gift_paused', resolvedAt: null }, select: { id: true } });
  return row !== null;
}
