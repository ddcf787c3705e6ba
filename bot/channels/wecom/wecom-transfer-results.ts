// WeCom's part of a handover, second half: what became of each started transfer. The customer has
// 24 h to refuse. A refusal (or the successor's limit) arrives at once as the transfer_fail
// callback, which names only the successor and the customer; transfer_result, asked once the
// takeover is due, is the safety net for a lost callback and the only word on success. A failed
// customer's lead goes back to the managers (core/staff/customer-transfer-failed.ts); once every
// customer is done or failed the handover closes. Each row moves WAITING → DONE | FAILED by a
// guarded update, so a callback and a poll arriving together act once.
import { recordAudit } from '../../../core/audit/record-audit.ts';
import type { DatabaseTx } from '../../../core/db/open-database.ts';
import { closeHandover } from '../../../core/staff/customer-handover.ts';
import { customerTransfersFailed } from '../../../core/staff/customer-transfer-failed.ts';
import type { TransferFailed } from './wecom-callback-xml.ts';
import { CHECK_MARGIN_MS, startWecomTransfers, type WecomTransferDeps } from './wecom-transfer-start.ts';
import { transferFailureText } from './wecom-texts.ts';

/** Ask transfer_result again this long after it said "waiting" or did not list the customer. */
const RECHECK_MS = 3_600_000;
/** transfer_result's status: 1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户达到上限. */
const DONE = 1;
const WAITING = 2;

type Row = { id: string; handoverId: string; externalUserId: string };

/** Starts or resumes a handover's transfers, then closes it if nothing is left to wait for; false when WeCom has no part in it. */
export async function advanceHandover(deps: WecomTransferDeps, handoverId: string): Promise<boolean> {
  const part = await startWecomTransfers(deps, handoverId);
  if (!part) return false;
  await deps.db.$transaction((tx) => closeIfFinished(tx, handoverId, deps.clock.now()));
  return true;
}

/** A transfer_fail callback: the customer refused the successor, or the successor is full. */
export async function onTransferFailed(deps: WecomTransferDeps, event: TransferFailed): Promise<void> {
  const rows = await deps.db.wecomCustomerTransfer.findMany({ where: { takeoverUserId: event.userId, externalUserId: event.externalUserId, state: 'WAITING' } });
  for (const row of rows) await finish(deps, row, { failed: true, outcome: event.failReason || 'transfer_fail' });
}

/**
 * The poller's round: resumes open handovers whose WeCom part is not fully started (a crash, a
 * "try later"), asks transfer_result about the transfers whose takeover is due, and closes the
 * handovers that are finished.
 */
export async function checkDue(deps: WecomTransferDeps): Promise<void> {
  const open = await deps.db.staffHandover.findMany({
    where: { closedAt: null, from: { channelLinks: { some: { channel: 'WECOM' } } }, OR: [{ wecom: null }, { wecom: { listedAt: null } }, { transfers: { some: { state: 'PENDING' } } }] },
    select: { id: true },
  });
  for (const handover of open) {
    try {
      await advanceHandover(deps, handover.id);
    } catch (error) {
      deps.logger.warn({ err: error, handoverId: handover.id }, 'WeCom customer transfer: will try again');
    }
  }
  const due = await deps.db.wecomCustomerTransfer.findMany({ where: { state: 'WAITING', checkAt: { lte: deps.clock.now() } }, include: { handover: { include: { wecom: true } } } });
  for (const handoverId of new Set(due.map((row) => row.handoverId))) {
    const rows = due.filter((row) => row.handoverId === handoverId);
    const part = rows[0]?.handover.wecom;
    if (part) await checkResults(deps, part, rows);
  }
}

async function checkResults(deps: WecomTransferDeps, part: { handoverUserId: string; takeoverUserId: string; mode: string }, rows: Row[]): Promise<void> {
  const statuses = new Map<string, { status: number; takeoverTime: number }>();
  let cursor = '';
  for (;;) {
    const page = await deps.api.transferResult({ resigned: part.mode === 'RESIGNED', handoverUserId: part.handoverUserId, takeoverUserId: part.takeoverUserId, cursor });
    for (const c of page.customer) statuses.set(c.external_userid, { status: c.status, takeoverTime: c.takeover_time });
    if (!page.next_cursor || page.next_cursor === cursor) break;
    cursor = page.next_cursor;
  }
  const now = deps.clock.now().getTime();
  for (const row of rows) {
    const result = statuses.get(row.externalUserId);
    if (result?.status === DONE) await finish(deps, row, { failed: false, outcome: 'status 1' });
    else if (result && result.status !== WAITING) await finish(deps, row, { failed: true, outcome: `status ${result.status}` });
    else {
      const dueAt = result ? result.takeoverTime * 1000 + CHECK_MARGIN_MS : 0;
      await deps.db.wecomCustomerTransfer.updateMany({ where: { id: row.id, state: 'WAITING' }, data: { checkAt: new Date(Math.max(now + RECHECK_MS, dueAt)) } });
    }
  }
}

async function finish(deps: WecomTransferDeps, row: Row, result: { failed: boolean; outcome: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.wecomCustomerTransfer.updateMany({ where: { id: row.id, state: 'WAITING' }, data: { state: result.failed ? 'FAILED' : 'DONE', outcome: result.outcome, finishedAt: now, checkAt: null } });
    if (count === 0) return;
    if (result.failed) {
      await customerTransfersFailed(tx, { handoverId: row.handoverId, channel: 'WECOM', failures: [{ customerExternalId: row.externalUserId, reason: transferFailureText(result.outcome) }], eventKey: `wecom-transfer:${row.id}`, now });
    }
    await closeIfFinished(tx, row.handoverId, now);
  });
}

/** Closes the handover once its customers were listed and none is pending or waiting; audited with the counts. */
export async function closeIfFinished(tx: DatabaseTx, handoverId: string, now: Date): Promise<void> {
  const handover = await tx.staffHandover.findUnique({ where: { id: handoverId }, include: { wecom: true } });
  if (!handover || handover.closedAt || !handover.wecom?.listedAt) return;
  const states = await tx.wecomCustomerTransfer.groupBy({ by: ['state'], where: { handoverId }, _count: { _all: true } });
  const count = (state: string) => states.find((s) => s.state === state)?._count._all ?? 0;
  if (count('PENDING') + count('WAITING') > 0) return;
  await closeHandover(tx, handoverId, now);
  await recordAudit(tx, { storeId: handover.storeId, actorStaffId: null, action: 'wecom_customers_transferred', entity: 'StaffHandover', entityId: handoverId, details: { mode: handover.wecom.mode, done: count('DONE'), failed: count('FAILED') }, at: now });
}
