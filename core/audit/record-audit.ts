import type { DatabaseTx } from '../db/open-database.ts';

/** One audited change: who (null = the system), what, on which record, with what details. */
export interface AuditInput {
  storeId: string;
  actorStaffId: string | null;
  action: string;
  entity: string;
  entityId: string;
  details: Record<string, unknown>;
  at: Date;
}

/** Records an audited change in the caller's transaction. */
export async function recordAudit(tx: DatabaseTx, entry: AuditInput): Promise<void> {
  await tx.auditEntry.create({ data: { ...entry, details: JSON.stringify(entry.details) } });
}
