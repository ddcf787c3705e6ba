import { maskPhone } from '../customers/phone.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { OutboundMessage } from '../messages.ts';

/** The claimed intent being handed over. */
interface HandOverRow {
  id: string;
  storeId: string;
  customerId: string | null;
  kind: string;
  payload: string;
}

/**
 * Reach planning's fallback: when no channel of ours can push to the customer, their consultant
 * (who owns their lead in the store — reassignments and handovers move it — else the one of the
 * latest order, else of the latest visit; else the store) gets a task with the ready text to
 * forward and why it could not go by itself, shown on the admin outbox page. Returns the task id.
 */
export async function handOverToConsultant(tx: DatabaseTx, row: HandOverRow, now: Date, reason: string): Promise<string> {
  const existing = await tx.staffTask.findUnique({ where: { intentId: row.id } });
  if (existing) return existing.id;
  const customer = row.customerId ? await tx.customer.findUnique({ where: { id: row.customerId } }) : null;
  const lead = customer ? await tx.lead.findFirst({ where: { customerId: customer.id, storeId: row.storeId, ownerStaffId: { not: null }, owner: { active: true } } }) : null;
  const order = customer && !lead ? await tx.order.findFirst({ where: { customerId: customer.id, storeId: row.storeId, consultantId: { not: null } }, orderBy: { orderedAt: 'desc' } }) : null;
  const visit = customer && !lead && !order ? await tx.visit.findFirst({ where: { customerId: customer.id, storeId: row.storeId, consultantId: { not: null } }, orderBy: { visitedAt: 'desc' } }) : null;
  const message = JSON.parse(row.payload) as OutboundMessage;
  const who = customer ? `${customer.name}（${maskPhone(customer.phone)}）` : '客户';
  const task = await tx.staffTask.create({
    data: {
      storeId: row.storeId,
      staffId: lead?.ownerStaffId ?? order?.consultantId ?? visit?.consultantId ?? null,
      customerId: customer?.id ?? null,
      intentId: row.id,
      kind: `forward:${row.kind}`,
      text: `请通过企业微信或电话将以下消息转达给${who}：\n${message.text}`,
      reason,
      createdAt: now,
    },
  });
  return task.id;
}
