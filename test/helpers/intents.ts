import type { Database } from '../../core/db/open-database.ts';
import { enqueueIntent, type NewIntent } from '../../core/outbox/enqueue-intent.ts';

/** Creates a customer with service and marketing consent and a web chat identity. */
export async function createReachableCustomer(db: Database, n: number, now: Date): Promise<string> {
  const customer = await db.customer.create({ data: { name: `客户${n}`, phone: `+86139${String(n).padStart(8, '0')}` } });
  await db.channelIdentity.create({ data: { customerId: customer.id, channel: 'WEB', externalId: `chat-${n}` } });
  await db.consentRecord.createMany({
    data: (['SERVICE', 'MARKETING'] as const).map((purpose) => ({ customerId: customer.id, purpose, granted: true, source: 'test', noticeVersion: 'test', recordedAt: now })),
  });
  return customer.id;
}

/** Queues a text message intent; defaults: service purpose, due now, stale in a day. */
export async function queueText(db: Database, storeId: string, key: string, now: Date, extra: Partial<NewIntent> = {}): Promise<void> {
  await db.$transaction((tx) =>
    enqueueIntent(tx, {
      dedupeKey: key, storeId, purpose: 'SERVICE', kind: 'test', message: { kind: 'text', text: key },
      sendAt: now, expiresAt: new Date(now.getTime() + 24 * 3600_000), ...extra,
    }),
  );
}
