import type { DatabaseTx } from '../db/open-database.ts';

/**
 * Marks an inbox row handled in the transaction of its effects, so a crash leaves either both or
 * neither. False when it was already handled (a second worker, or a replay): the caller's
 * transaction must then change nothing, so throw it away.
 */
export async function markInboundHandled(tx: DatabaseTx, id: number, now: Date): Promise<boolean> {
  const marked = await tx.inboundUpdate.updateMany({ where: { id, handledAt: null }, data: { handledAt: now } });
  return marked.count === 1;
}
