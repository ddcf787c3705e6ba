import type { Channel, IntentState, MessageIntent, MessagePurpose, Store } from '../db/generated/client.ts';
import { asBigInt, asDate, asDateOrNull } from '../db/raw-sql.ts';

/*
 * Rows of `SELECT *` / `RETURNING *` from `queryRows` as Prisma's types. Every field is named,
 * so a column added to the model fails the type check here until it is read too; the values
 * are converted from what the engine keeps (see `queryRows`). `intent-rows.test.ts` checks them
 * against Prisma's own reading of the same rows.
 */

const text = (value: unknown): string => String(value);
const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A `MessageIntent` row from `queryRows`. */
export function messageIntentFrom(raw: Record<string, unknown>): MessageIntent {
  return {
    id: text(raw.id),
    dedupeKey: text(raw.dedupeKey),
    storeId: text(raw.storeId),
    customerId: textOrNull(raw.customerId),
    staffId: textOrNull(raw.staffId),
    channel: textOrNull(raw.channel) as Channel | null,
    address: textOrNull(raw.address),
    purpose: text(raw.purpose) as MessagePurpose,
    kind: text(raw.kind),
    payload: text(raw.payload),
    variables: textOrNull(raw.variables),
    deliveryStatus: textOrNull(raw.deliveryStatus),
    deliveryCode: textOrNull(raw.deliveryCode),
    deliveryAt: asDateOrNull(raw.deliveryAt),
    sendAt: asDate(raw.sendAt),
    enqueueSeq: asBigInt(raw.enqueueSeq),
    lane: textOrNull(raw.lane),
    paceWaits: Number(raw.paceWaits),
    expiresAt: asDate(raw.expiresAt),
    state: text(raw.state) as IntentState,
    attempts: Number(raw.attempts),
    nextAttemptAt: asDateOrNull(raw.nextAttemptAt),
    leaseOwner: textOrNull(raw.leaseOwner),
    leaseExpiresAt: asDateOrNull(raw.leaseExpiresAt),
    providerMessageId: textOrNull(raw.providerMessageId),
    lastError: textOrNull(raw.lastError),
    sentAt: asDateOrNull(raw.sentAt),
    priority: Number(raw.priority),
    createdAt: asDate(raw.createdAt),
    updatedAt: asDate(raw.updatedAt),
  };
}

/** A `Store` row from `queryRows`. */
export function storeFrom(raw: Record<string, unknown>): Store {
  return {
    id: text(raw.id),
    groupId: text(raw.groupId),
    name: text(raw.name),
    timeZone: text(raw.timeZone),
    address: text(raw.address),
    hotline: text(raw.hotline),
    customerHoursStart: text(raw.customerHoursStart),
    customerHoursEnd: text(raw.customerHoursEnd),
    staffHoursStart: text(raw.staffHoursStart),
    staffHoursEnd: text(raw.staffHoursEnd),
    createdAt: asDate(raw.createdAt),
    giftsPausedUntil: asDateOrNull(raw.giftsPausedUntil),
    leadSettings: text(raw.leadSettings),
    journeySettings: text(raw.journeySettings),
  };
}
