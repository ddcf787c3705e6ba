import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { releaseHeldStaffMessages } from '../outbox/reach.ts';
import { may, staffSubject, type Principal } from './authorization.ts';
import { hashToken, newToken } from './staff-sessions.ts';

/** How long an invitation works by default. */
export const INVITATION_TTL_HOURS = 72;

export type InvitationErrorCode = 'not_allowed' | 'staff_invalid' | 'unknown' | 'expired' | 'used' | 'wrong_channel';

export class InvitationError extends Error {
  constructor(readonly code: InvitationErrorCode, message: string) {
    super(message);
    this.name = 'InvitationError';
  }
}

/**
 * Someone who may manage the staff member (core/staff/authorization.ts: admins everyone,
 * managers consultants and the front desk) invites them to link a chat account. Returns the
 * one-time token (shown once; only its hash is kept) and when it expires. Audited.
 */
export async function createStaffInvitation(db: Database, clock: Clock, creator: Principal, input: { staffId: string; channel: ChannelName; ttlHours?: number }) {
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (input.ttlHours ?? INVITATION_TTL_HOURS) * 3600_000);
  const token = newToken();
  await db.$transaction(async (tx) => {
    const staff = await tx.staff.findFirst({ where: { id: input.staffId, storeId: creator.storeId, active: true } });
    if (!staff) throw new InvitationError('staff_invalid', 'is not an active staff member of this store');
    if (!may(creator, 'staff.manage', staffSubject(creator.storeId, staff.role))) throw new InvitationError('not_allowed', `may not invite a ${staff.role}`);
    await tx.staffInvitation.create({ data: { tokenHash: hashToken(token), staffId: staff.id, channel: input.channel, createdById: creator.staffId, createdAt: now, expiresAt } });
    await recordAudit(tx, { storeId: creator.storeId, actorStaffId: creator.staffId, action: 'staff_invited', entity: 'Staff', entityId: staff.id, details: { channel: input.channel, expiresAt }, at: now });
  });
  return { token, expiresAt };
}

/**
 * Links the chat that presents an invitation to its staff member, once: a chat linked to someone
 * else before is moved (audited); messages that were waiting for the staff member go out now.
 */
export async function redeemStaffInvitation(tx: DatabaseTx, clock: Clock, token: string, chat: { channel: ChannelName; externalId: string }) {
  const now = clock.now();
  const invitation = await tx.staffInvitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { staff: true } });
  if (!invitation) throw new InvitationError('unknown', 'no such invitation');
  if (invitation.usedAt) throw new InvitationError('used', 'already used');
  if (invitation.expiresAt <= now) throw new InvitationError('expired', 'expired');
  if (invitation.channel !== chat.channel) throw new InvitationError('wrong_channel', `is for ${invitation.channel}`);
  if (!invitation.staff.active) throw new InvitationError('staff_invalid', 'staff member is no longer active');
  const used = await tx.staffInvitation.updateMany({ where: { id: invitation.id, usedAt: null }, data: { usedAt: now, usedBy: chat.externalId } });
  if (used.count !== 1) throw new InvitationError('used', 'already used');
  const previous = await tx.staffChannelLink.findUnique({ where: { channel_externalId: chat } });
  await tx.staffChannelLink.upsert({
    where: { channel_externalId: chat },
    create: { staffId: invitation.staffId, ...chat, linkedAt: now, lastSeenAt: now },
    update: { staffId: invitation.staffId, linkedAt: now, lastSeenAt: now, blockedAt: null },
  });
  await recordAudit(tx, {
    storeId: invitation.staff.storeId, actorStaffId: invitation.staffId, action: 'staff_chat_linked', entity: 'Staff', entityId: invitation.staffId,
    details: { channel: chat.channel, chat: chat.externalId, movedFrom: previous && previous.staffId !== invitation.staffId ? previous.staffId : null }, at: now,
  });
  await releaseHeldStaffMessages(tx, invitation.staffId, now);
  return invitation.staff;
}
