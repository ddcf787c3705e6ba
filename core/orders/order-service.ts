import { customerSubject, may, type Principal } from '../staff/authorization.ts';
import { customersOfStore } from '../customers/customers-of-store.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { cancelDeliveryReminders, queueAfterDelivery, queueDeliveryReminders } from '../journeys/delivery-journey.ts';

/** Why an order change was refused; pages translate these, not the English message. */
export type OrderErrorCode =
  | 'delivery_invalid' | 'delivery_in_past' | 'delivery_before_order' | 'delivered_in_future' | 'delivered_before_order'
  | 'order_not_found' | 'order_delivered' | 'order_cancelled' | 'reason_missing' | 'model_invalid' | 'customer_not_found' | 'consultant_invalid'
  | 'not_allowed';

/** A change to an order that cannot be made: the field, a stable code, and what to fix. */
export class OrderInvalidError extends Error {
  readonly fields: Record<string, string>;
  constructor(readonly field: string, readonly code: OrderErrorCode, message: string) {
    super(`${field} ${message}`);
    this.name = 'OrderInvalidError';
    this.fields = { [field]: message };
  }
}

/** Who acts, in which store, in which role (see core/staff/authorization.ts). */
export type Actor = Principal;

type OrderRow = Awaited<ReturnType<DatabaseTx['order']['findUniqueOrThrow']>>;

async function openOrder(tx: DatabaseTx, actor: Actor, orderId: string): Promise<OrderRow> {
  const order = await tx.order.findFirst({ where: { id: orderId, storeId: actor.storeId } });
  if (!order) throw new OrderInvalidError('orderId', 'order_not_found', `"${orderId}" is not an order of this store`);
  await requireCare(tx, actor, order.customerId);
  if (order.status !== 'ORDERED') throw new OrderInvalidError('orderId', order.status === 'DELIVERED' ? 'order_delivered' : 'order_cancelled', `is already ${order.status.toLowerCase()}`);
  return order;
}

/** Only the customer's own consultant, a manager or an admin changes their orders. */
async function requireCare(tx: DatabaseTx, actor: Actor, customerId: string): Promise<void> {
  if (!may(actor, 'customer.care', await customerSubject(tx, actor.storeId, customerId))) {
    throw new OrderInvalidError('customerId', 'not_allowed', 'belongs to another consultant');
  }
}

function checkDeliveryAt(deliveryAt: Date, now: Date, orderedAt: Date): void {
  if (Number.isNaN(deliveryAt.getTime())) throw new OrderInvalidError('deliveryAt', 'delivery_invalid', 'must be a date and time, e.g. 2026-12-01T14:00:00+08:00');
  if (deliveryAt <= now) throw new OrderInvalidError('deliveryAt', 'delivery_in_past', 'must be in the future');
  if (deliveryAt <= orderedAt) throw new OrderInvalidError('deliveryAt', 'delivery_before_order', 'must be after the order was signed');
}

/** Records a signed order with its delivery date; queues the reminders before the handover. */
export async function recordOrder(db: Database, clock: Clock, actor: Actor, input: { customerId: string; model: string; deliveryAt: Date; consultantId?: string | null }): Promise<OrderRow> {
  const now = clock.now();
  const model = input.model.trim();
  if (model.length === 0 || model.length > 60) throw new OrderInvalidError('model', 'model_invalid', 'must be the model sold, 1–60 characters');
  checkDeliveryAt(input.deliveryAt, now, now);
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({
      where: { id: input.customerId, ...customersOfStore(actor.storeId) },
    });
    if (!customer) throw new OrderInvalidError('customerId', 'customer_not_found', `"${input.customerId}" is not a customer of this store`);
    await requireCare(tx, actor, customer.id);
    if (input.consultantId && !(await tx.staff.findFirst({ where: { id: input.consultantId, storeId: actor.storeId, role: 'CONSULTANT', active: true } }))) {
      throw new OrderInvalidError('consultantId', 'consultant_invalid', `"${input.consultantId}" is not an active consultant of this store`);
    }
    const order = await tx.order.create({
      data: { storeId: actor.storeId, customerId: customer.id, consultantId: input.consultantId ?? null, model, orderedAt: now, deliveryAt: input.deliveryAt },
    });
    await recordAudit(tx, { ...audit(actor, 'order.recorded', order.id, now), details: { model, deliveryAt: input.deliveryAt.toISOString() } });
    await queueDeliveryReminders(tx, order, now);
    return order;
  });
}

/** Moves the handover: the old reminders are cancelled and the ones still ahead queued for the new time. */
export async function rescheduleDelivery(db: Database, clock: Clock, actor: Actor, orderId: string, deliveryAt: Date): Promise<OrderRow> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const order = await openOrder(tx, actor, orderId);
    checkDeliveryAt(deliveryAt, now, order.orderedAt);
    await cancelDeliveryReminders(tx, order.id);
    const updated = await tx.order.update({ where: { id: order.id }, data: { deliveryAt } });
    await recordAudit(tx, { ...audit(actor, 'order.rescheduled', order.id, now), details: { from: order.deliveryAt.toISOString(), to: deliveryAt.toISOString() } });
    await queueDeliveryReminders(tx, updated, now);
    return updated;
  });
}

/** Cancels an order and every reminder still waiting for it. */
export async function cancelOrder(db: Database, clock: Clock, actor: Actor, orderId: string, reason: string): Promise<OrderRow> {
  const now = clock.now();
  if (reason.trim().length === 0) throw new OrderInvalidError('reason', 'reason_missing', 'must say why the order is cancelled');
  return db.$transaction(async (tx) => {
    const order = await openOrder(tx, actor, orderId);
    await cancelDeliveryReminders(tx, order.id);
    const updated = await tx.order.update({ where: { id: order.id }, data: { status: 'CANCELLED', cancelledAt: now } });
    await recordAudit(tx, { ...audit(actor, 'order.cancelled', order.id, now), details: { reason: reason.trim() } });
    return updated;
  });
}

/** Marks the car handed over: reminders still waiting are cancelled; thanks, check and first service are queued. */
export async function markDelivered(db: Database, clock: Clock, actor: Actor, orderId: string, deliveredAt?: Date): Promise<OrderRow> {
  const now = clock.now();
  const at = deliveredAt ?? now;
  return db.$transaction(async (tx) => {
    const order = await openOrder(tx, actor, orderId);
    if (at > now) throw new OrderInvalidError('deliveredAt', 'delivered_in_future', 'cannot be in the future');
    if (at < order.orderedAt) throw new OrderInvalidError('deliveredAt', 'delivered_before_order', 'cannot be before the order was signed');
    await cancelDeliveryReminders(tx, order.id);
    const updated = await tx.order.update({ where: { id: order.id }, data: { status: 'DELIVERED', deliveredAt: at } });
    await recordAudit(tx, { ...audit(actor, 'order.delivered', order.id, now), details: { deliveredAt: at.toISOString() } });
    await queueAfterDelivery(tx, updated, at);
    return updated;
  });
}

function audit(actor: Actor, action: string, orderId: string, at: Date) {
  return { storeId: actor.storeId, actorStaffId: actor.staffId, action, entity: 'order', entityId: orderId, at };
}
