import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { releaseHeldStaffMessages } from '../outbox/reach.ts';
import { may, staffSubject, type Principal } from './authorization.ts';

/** Why an account could not be linked. */
export class StaffAccountError extends Error {
  constructor(readonly code: 'not_allowed' | 'staff_invalid' | 'account_invalid') {
    super(code);
    this.name = 'StaffAccountError';
  }
}

/**
 * Links a staff member to their account on a channel whose employees are known by id (a WeCom
 * userid typed on /admin/staff): staff messages go there, and what that account writes runs as
 * staff commands. One account per staff member and channel; an account typed for someone else
 * moves to this staff member. Messages that waited for a chat go out now.
 */
export async function linkStaffAccount(db: Database, clock: Clock, actor: Principal, input: { staffId: string; channel: ChannelName; externalId: string }): Promise<{ name: string }> {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(input.externalId)) throw new StaffAccountError('account_invalid');
  return db.$transaction(async (tx) => {
    const staff = await tx.staff.findFirst({ where: { id: input.staffId, storeId: actor.storeId, active: true } });
    if (!staff) throw new StaffAccountError('staff_invalid');
    if (!may(actor, 'staff.manage', staffSubject(actor.storeId, staff.role))) throw new StaffAccountError('not_allowed');
    const now = clock.now();
    await tx.staffChannelLink.deleteMany({ where: { staffId: staff.id, channel: input.channel, externalId: { not: input.externalId } } });
    await tx.staffChannelLink.upsert({
      where: { channel_externalId: { channel: input.channel, externalId: input.externalId } },
      create: { staffId: staff.id, channel: input.channel, externalId: input.externalId, linkedAt: now, lastSeenAt: now },
      update: { staffId: staff.id, linkedAt: now, blockedAt: null },
    });
    await releaseHeldStaffMessages(tx, staff.id, now);
    return { name: staff.name };
  });
}
