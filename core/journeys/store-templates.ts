import type { Database } from '../db/open-database.ts';
import { smsTemplatesOf, type SmsTemplate } from '../outbox/sms-templates.ts';

/** A store's own wording of its messages: chat templates by `kind:locale`, SMS templates by kind (a default applies where there is none). */
export interface StoreTemplates {
  own: Map<string, string>;
  sms: Map<string, SmsTemplate>;
}

/** Reads the templates a store has set. */
export async function readStoreTemplates(db: Database, storeId: string): Promise<StoreTemplates> {
  const [rows, sms] = await Promise.all([
    db.messageTemplate.findMany({ where: { storeId } }),
    smsTemplatesOf(db, storeId),
  ]);
  return { own: new Map(rows.map((r) => [`${r.kind}:${r.locale}`, r.body])), sms };
}
