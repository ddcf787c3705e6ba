// WeCom's part of a handover, first half: a leaving consultant's WeCom customers are handed to
// the successor's WeCom account (客户继承). Each step is recorded before the next, so a crash or
// a lost answer anywhere resumes where it stopped (wecom-transfer-results.ts's `checkDue` resumes
// open handovers):
// 1. which 继承 applies, from user/get: an employee gone from the directory (60111) or who quit
//    (status 5) has resigned (离职继承, resigned/transfer_customer); anyone else is in service
//    (在职继承, transfer_customer, which also sends the customer our transfer_success_msg);
// 2. every customer of the leaving employee, once: externalcontact/list, or for a resigned one
//    their entries of get_unassigned_list — a row each (PENDING);
// 3. the PENDING rows in calls of at most 100: errcode 0 means started (WAITING: the customer has
//    24 h to refuse); 40129 / 40100 mean already under way — the answer to our own earlier call
//    was lost — and count as started, so calling again is safe; any other errcode fails that
//    customer (their lead goes back to the managers). A whole call WeCom refuses for good fails
//    the batch the same way; "try later" errors and lost answers leave the rows PENDING.
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { isUniqueViolation } from '../../../core/db/unique-violation.ts';
import type { Logger } from '../../../core/logger.ts';
import { customerTransfersFailed } from '../../../core/staff/customer-transfer-failed.ts';
import type { WecomApiClient } from './wecom-api-client.ts';
import { WecomApiError, WecomRetryableError } from './wecom-errors.ts';
import { transferFailureText, transferSuccessText } from './wecom-texts.ts';

/** What WeCom's part of a handover needs. */
export interface WecomTransferDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  api: Pick<WecomApiClient, 'getUser' | 'listExternalContacts' | 'listUnassigned' | 'transferCustomers' | 'transferResult'>;
}

/** externalcontact/*transfer_customer: at most 100 customers a call. */
const CUSTOMERS_PER_CALL = 100;
/** An accepted transfer is taken over 24 h later unless the customer refuses. */
export const TAKEOVER_AFTER_MS = 24 * 3_600_000;
/** Ask transfer_result this long after the takeover is due. */
export const CHECK_MARGIN_MS = 10 * 60_000;
/** Per-customer errcodes that mean a transfer is already under way: 40129 当前客户正在转接中, 40100 此用户的外部联系人已经在转移流程中. */
const ALREADY_STARTED: ReadonlySet<number> = new Set([40129, 40100]);
/** user/get: 60111 UserID不存在 (deleted from the directory when they left); status 5 退出企业. */
const USER_NOT_FOUND = 60111;
const STATUS_QUIT = 5;

type WecomPart = { handoverId: string; handoverUserId: string; takeoverUserId: string; mode: string; listedAt: Date | null };

/** The WeCom userid linked to a staff member on /admin/staff, if any. */
export async function wecomUserIdOf(db: Database, staffId: string): Promise<string | null> {
  const link = await db.staffChannelLink.findFirst({ where: { staffId, channel: 'WECOM' }, select: { externalId: true } });
  return link?.externalId ?? null;
}

/**
 * Starts (or resumes) moving a handover's WeCom customers. Null when WeCom has nothing to do (the
 * leaving consultant has no WeCom account, or the successor none to take them). Throws what
 * WeCom answers "later" to (network, 45009…): the rows stay as they are for the next try.
 */
export async function startWecomTransfers(deps: WecomTransferDeps, handoverId: string): Promise<WecomPart | null> {
  const handover = await deps.db.staffHandover.findUnique({ where: { id: handoverId }, include: { wecom: true, from: true, to: true } });
  if (!handover || handover.closedAt) return null;
  let part: WecomPart | null = handover.wecom;
  if (!part) {
    const [handoverUserId, takeoverUserId] = await Promise.all([wecomUserIdOf(deps.db, handover.fromStaffId), wecomUserIdOf(deps.db, handover.toStaffId)]);
    if (!handoverUserId || !takeoverUserId) return null;
    part = await recordPart(deps, { handoverId, handoverUserId, takeoverUserId, mode: await modeOf(deps, handoverUserId), listedAt: null });
  }
  if (!part.listedAt) part = await listCustomers(deps, part);
  await transferPending(deps, part, transferSuccessText({ fromName: handover.from.name, toName: handover.to.name }));
  return part;
}

async function modeOf(deps: WecomTransferDeps, userId: string): Promise<'ONJOB' | 'RESIGNED'> {
  try {
    return (await deps.api.getUser(userId)).status === STATUS_QUIT ? 'RESIGNED' : 'ONJOB';
  } catch (error) {
    if (error instanceof WecomApiError && error.errcode === USER_NOT_FOUND) return 'RESIGNED';
    throw error;
  }
}

async function recordPart(deps: WecomTransferDeps, part: WecomPart): Promise<WecomPart> {
  try {
    return await deps.db.wecomHandover.create({ data: part });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return deps.db.wecomHandover.findUniqueOrThrow({ where: { handoverId: part.handoverId } });
  }
}

async function listCustomers(deps: WecomTransferDeps, part: WecomPart): Promise<WecomPart> {
  const ids = part.mode === 'RESIGNED' ? await unassignedCustomersOf(deps, part.handoverUserId) : await deps.api.listExternalContacts(part.handoverUserId);
  for (const externalUserId of new Set(ids)) {
    await deps.db.wecomCustomerTransfer.create({ data: { handoverId: part.handoverId, externalUserId, takeoverUserId: part.takeoverUserId, state: 'PENDING' } })
      .catch((error: unknown) => { if (!isUniqueViolation(error)) throw error; });
  }
  return deps.db.wecomHandover.update({ where: { handoverId: part.handoverId }, data: { listedAt: deps.clock.now() } });
}

async function unassignedCustomersOf(deps: WecomTransferDeps, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  for (;;) {
    const page = await deps.api.listUnassigned({ cursor });
    ids.push(...page.info.filter((i) => i.handover_userid === userId).map((i) => i.external_userid));
    if (page.is_last || !page.next_cursor || page.next_cursor === cursor) return ids;
    cursor = page.next_cursor;
  }
}

async function transferPending(deps: WecomTransferDeps, part: WecomPart, successMsg: string): Promise<void> {
  for (;;) {
    const batch = await deps.db.wecomCustomerTransfer.findMany({ where: { handoverId: part.handoverId, state: 'PENDING' }, orderBy: { id: 'asc' }, take: CUSTOMERS_PER_CALL });
    if (batch.length === 0) return;
    const outcomes = await transferBatch(deps, part, batch.map((row) => row.externalUserId), successMsg);
    const progressed = await recordOutcomes(deps, part.handoverId, batch, outcomes);
    // WeCom answered for none of them: leave them for the next try rather than loop.
    if (!progressed) return;
  }
}

/** Per customer: the errcode WeCom gave (0 started); a whole call refused for good gives every customer its errcode. */
async function transferBatch(deps: WecomTransferDeps, part: WecomPart, externalUserIds: string[], successMsg: string): Promise<Map<string, number>> {
  try {
    const answer = await deps.api.transferCustomers({ resigned: part.mode === 'RESIGNED', handoverUserId: part.handoverUserId, takeoverUserId: part.takeoverUserId, externalUserIds, transferSuccessMsg: successMsg });
    return new Map(answer.map((c) => [c.external_userid, c.errcode]));
  } catch (error) {
    if (!(error instanceof WecomApiError) || error instanceof WecomRetryableError || error.tokenRejected) throw error;
    deps.logger.warn({ err: error, handoverId: part.handoverId }, 'WeCom refused a customer transfer');
    return new Map(externalUserIds.map((id) => [id, error.errcode]));
  }
}

async function recordOutcomes(deps: WecomTransferDeps, handoverId: string, batch: { id: string; externalUserId: string }[], outcomes: Map<string, number>): Promise<boolean> {
  const now = deps.clock.now();
  const answered = batch.filter((row) => outcomes.has(row.externalUserId));
  if (answered.length === 0) return false;
  await deps.db.$transaction(async (tx) => {
    const failures = [];
    for (const row of answered) {
      const errcode = outcomes.get(row.externalUserId) ?? 0;
      const started = errcode === 0 || ALREADY_STARTED.has(errcode);
      const data = started
        ? { state: 'WAITING', outcome: errcode === 0 ? null : `errcode ${errcode}`, startedAt: now, checkAt: new Date(now.getTime() + TAKEOVER_AFTER_MS + CHECK_MARGIN_MS) }
        : { state: 'FAILED', outcome: `errcode ${errcode}`, finishedAt: now };
      const { count } = await tx.wecomCustomerTransfer.updateMany({ where: { id: row.id, state: 'PENDING' }, data });
      if (count === 1 && !started) failures.push({ customerExternalId: row.externalUserId, reason: transferFailureText(`errcode ${errcode}`) });
    }
    await customerTransfersFailed(tx, { handoverId, channel: 'WECOM', failures, eventKey: `wecom-start:${answered[0]?.id ?? handoverId}`, now });
  });
  return true;
}
