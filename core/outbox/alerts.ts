import type { DatabaseTx } from '../db/open-database.ts';

/** Kinds of alert the admins see. */
export type AlertKind = 'intent_dead' | 'intent_unknown';

/** Raises an alert for the store's admins (shown on the outbox admin page), in the caller's transaction. */
export async function raiseAlert(tx: DatabaseTx, alert: { storeId: string; kind: AlertKind; message: string; intentId?: string; now: Date }): Promise<void> {
  await tx.alert.create({
    data: { storeId: alert.storeId, kind: alert.kind, message: alert.message, intentId: alert.intentId ?? null, createdAt: alert.now },
  });
}
