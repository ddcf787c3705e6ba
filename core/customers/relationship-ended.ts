import type { Database } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { markChatBlocked } from '../outbox/reach.ts';
import { messageStaff, storeManagers } from '../outbox/staff-message.ts';

/** A customer relationship on a channel ended: the customer removed the employee, or the other way round. */
export interface RelationshipEnded {
  channel: ChannelName;
  /** The employee's id on the channel (a WeCom userid). */
  staffExternalId: string;
  /** The customer's id on the channel (a WeCom external_userid). */
  customerExternalId: string;
  /** True when the customer removed the employee. */
  byCustomer: boolean;
  /** Stable per platform event: a re-delivered event alerts nobody twice. */
  eventKey: string;
  /** The store to alert when the employee is not linked to a staff member. */
  fallbackStoreId: string;
  now: Date;
  /** The managers' notice (the channel words it). */
  notice(parts: { consultantName: string; customerLabel: string; byCustomer: boolean }): string;
}

/**
 * Records that a relationship ended, in one transaction: the customer's identity on the channel is
 * blocked for reach planning (their messages become the consultant's tasks elsewhere, or wait), and
 * the store's managers get a relationship alert to follow up.
 */
export async function recordRelationshipEnded(db: Database, ended: RelationshipEnded): Promise<void> {
  await db.$transaction(async (tx) => {
    await markChatBlocked(tx, ended.channel, ended.customerExternalId, ended.now);
    const link = await tx.staffChannelLink.findUnique({ where: { channel_externalId: { channel: ended.channel, externalId: ended.staffExternalId } }, include: { staff: true } });
    const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: ended.channel, externalId: ended.customerExternalId } }, include: { customer: true } });
    const storeId = link?.staff.storeId ?? ended.fallbackStoreId;
    const text = ended.notice({
      consultantName: link?.staff.name ?? ended.staffExternalId,
      // The name only: phone numbers stay out of chat notices.
      customerLabel: identity?.customer.name ?? `（未登记，${ended.customerExternalId.slice(0, 8)}…）`,
      byCustomer: ended.byCustomer,
    });
    for (const manager of await storeManagers(tx, storeId)) {
      await messageStaff(tx, { storeId, staffId: manager.id, dedupeKey: `relationship-ended:${ended.eventKey}:${manager.id}`, kind: 'relationship_alert', text, now: ended.now });
    }
  });
}
