import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { cancelDeliveryReminders, queueAfterDelivery, queueDeliveryReminders } from '../journeys/delivery-journey.ts';

/** A change to an order that cannot be made; `fields` says what to fix. */
export class OrderInvalidError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.entries(fields).map(([f, m]) => `${f} ${m}`).join('; '));
    this.name = 'OrderInvalidError';
  }
}

/** Who acts, in which store. */
export interface Actor {
  storeId: string;
  staffId: string | null;
}

type OrderRow = Awaited<ReturnType<DatabaseTx['order']['findUniqueOrThrow']>>;

async function openOrder(tx: DatabaseTx, actor: Actor, orderId: string): Promise<OrderRow> {
  const order = await tx.order.findFirst({ where: { id: orderId, storeId: actor.storeId } });
  if (!order) throw new OrderInvalidError({ orderId: `"${orderId}" is not an order of this store` });
  if (order.status !== 'ORDERED') throw new OrderInvalidError({ orderId: `is already ${order.status.toLowerCase()}` });
  return order;
}

function checkDeliveryAt(deliveryAt: Date, now: Date, orderedAt: Date): void {
  if (Number.isNaN(deliveryAt.getTime())) throw new OrderInvalidError({ deliveryAt: 'must be a date and time, e.g. 2026-12-01T14:00:00+08:00' });
  if (deliveryAt <= now) throw new OrderInvalidError({ deliveryAt: 'must be in the future' });
  if (deliveryAt <= orderedAt) throw new OrderInvalidError({ deliveryAt: 'must be after the order was signed' });
}

/** Records a signed order with its delivery date; queues the reminders before the handover. */
export async function recordOrder(db: Database, clock: Clock, actor: Actor, input: { customerId: string; model: string; deliveryAt: Date; consultantId?: string | null }): Promise<OrderRow> {
  const now = clock.now();
  const model = input.model.trim();
  if (model.length === 0 || model.length > 60) throw new OrderInvalidError({ model: 'must be the model sold, 1–60 characters' });
  checkDeliveryAt(input.deliveryAt, now, now);
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: input.customerId } });
    if (!customer) throw new OrderInvalidError({ customerId: `"${input.customerId}" is not a customer` });
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
  if (reason.trim().length === 0) throw new OrderInvalidError({ reason: 'must say why the order is cancelled' });
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
    if (at > now) throw new OrderInvalidError({ deliveredAt: 'cannot be in the future' });
    if (at < order.orderedAt) throw new OrderInvalidError({ deliveredAt: 'cannot be before the order was signed' });
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
