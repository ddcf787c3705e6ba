import { recordAudit } from '../audit/record-audit.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { messageStaff, storeManagers } from '../outbox/staff-message.ts';

/** One customer a channel could not move to the successor, and why (in the managers' words). */
export interface FailedTransfer {
  /** The customer's id on the channel (a WeCom external_userid). */
  customerExternalId: string;
  reason: string;
}

/** Names listed in the managers' notice; the rest are counted. */
const NAMES_SHOWN = 10;

/**
 * A channel could not move some of a handover's customers to the successor (the customer refused
 * within the 24 h, the successor's limit, WeCom refused the call): each such customer's lead that
 * the successor still owns goes back to the managers to reassign — unowned and on the 久未成交 /
 * 转交 list — and the store's managers get one notice naming them. Audited. In the caller's
 * transaction, which also marks the transfers failed, so it happens once per failure; `eventKey`
 * keeps the notice single if a caller repeats.
 */
export async function customerTransfersFailed(tx: DatabaseTx, input: { handoverId: string; channel: ChannelName; failures: FailedTransfer[]; eventKey: string; now: Date }): Promise<void> {
  if (input.failures.length === 0) return;
  const handover = await tx.staffHandover.findUniqueOrThrow({ where: { id: input.handoverId }, include: { from: true, to: true } });
  const names: string[] = [];
  const returnedLeadIds: string[] = [];
  for (const failure of input.failures) {
    const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: input.channel, externalId: failure.customerExternalId } }, include: { customer: true } });
    // The name only: phone numbers stay out of chat notices.
    names.push(`${identity?.customer.name ?? `未登记客户 ${failure.customerExternalId.slice(0, 8)}…`}（${failure.reason}）`);
    if (!identity) continue;
    const lead = await tx.lead.findFirst({ where: { storeId: handover.storeId, customerId: identity.customerId, ownerStaffId: handover.toStaffId } });
    if (!lead) continue;
    await tx.lead.update({ where: { id: lead.id }, data: { ownerStaffId: null, staleFlaggedAt: input.now } });
    returnedLeadIds.push(lead.id);
  }
  await recordAudit(tx, {
    storeId: handover.storeId, actorStaffId: null, action: 'customer_transfer_failed', entity: 'StaffHandover', entityId: handover.id,
    details: { channel: input.channel, failures: input.failures, returnedLeadIds }, at: input.now,
  });
  const shown = names.slice(0, NAMES_SHOWN).join('、') + (names.length > NAMES_SHOWN ? ` 等 ${names.length} 位` : '');
  const text = `【客户交接未完成】${handover.from.name} 的客户未能转给 ${handover.to.name}：${shown}。${returnedLeadIds.length > 0 ? `${returnedLeadIds.length} 条线索已退回经理，请发送“久未成交”查看并“转交”。` : ''}`;
  for (const manager of await storeManagers(tx, handover.storeId)) {
    await messageStaff(tx, { storeId: handover.storeId, staffId: manager.id, dedupeKey: `handover-failed:${input.eventKey}:${manager.id}`, kind: 'customer_transfer_failed', text, now: input.now });
  }
}
