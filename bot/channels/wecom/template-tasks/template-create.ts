// Turns a consultant task for a contact-me customer into one WeCom message template
// (externalcontact/add_msg_template: chat_type single, that one customer, sender = the
// consultant's userid), which the consultant sends with one tap in WeCom.
//
// Exactly one template per task, through crashes: the task is claimed first (a row keyed by the
// task, so by the message intent), and every call is made under a lease and counted before it
// starts. A row whose lease lapsed with a call counted may have made a template whose msgid was
// never recorded (the process died between WeCom's answer and our commit): before calling again,
// the templates made since the claim are looked up (get_groupmsg_list_v2) and one with this exact
// text that WeCom lists for this customer and sender (get_groupmsg_send_result), and that no
// other task has taken, is adopted instead.
import type { Clock } from '../../../../core/clock.ts';
import type { Database } from '../../../../core/db/open-database.ts';
import type { Logger } from '../../../../core/logger.ts';
import type { OutboundMessage } from '../../../../core/messages.ts';
import type { WecomApiClient } from '../wecom-api-client.ts';
import { classifyWecomError } from '../wecom-errors.ts';
import { wecomPlainText } from '../wecom-sender.ts';
import { kfChatId } from '../kf/kf-chat-id.ts';
import { backOff, claimTemplate, countCall, loadTemplateRows, recordCreated, recordFailed, takeLapsedClaim, type TemplateRow } from './template-records.ts';

/** Points where a crash is interesting; the crash property test throws there. */
export type TemplatePoint = 'after-lease' | 'after-call';

/** What the template tasks need. */
export interface TemplateTaskDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  api: Pick<WecomApiClient, 'addMsgTemplate' | 'listApiTemplates' | 'getGroupMsgSendResult'>;
  storeId: string;
  onPoint?: (point: TemplatePoint) => void;
}

const MINUTE = 60_000;
/** One row's hold while its call runs and its answer is recorded: far above the client's 10 s timeout. */
export const TEMPLATE_LEASE_MS = 2 * MINUTE;
/** After WeCom was busy or did not answer: looked at again (and looked up first) after this. */
const BACK_OFF_MS = 5 * MINUTE;
/** add_msg_template calls per task before it is left to the consultant to forward by hand. */
export const MAX_TEMPLATE_CALLS = 5;
/** Hand-overs older than this are not made into templates: the message is stale, or forwarded by now. */
const CLAIM_WITHIN_MS = 24 * 60 * MINUTE;
/** The lookup starts a little before the claim: WeCom's create_time and our clock may differ. */
const LOOKUP_SLACK_MS = 2 * MINUTE;
/** get_groupmsg_list_v2 takes at most a month between start_time and end_time. */
const LOOKUP_SPAN_MS = 30 * 24 * 60 * MINUTE;
const BATCH = 50;

/** Claims the store's new eligible tasks, then makes (or finds) the template of every claimed row that is due. */
export async function createTemplates(deps: TemplateTaskDeps): Promise<void> {
  await claimEligibleTasks(deps);
  const due = await loadTemplateRows(deps.db, { storeId: deps.storeId, state: 'CREATING', leaseUntil: { lte: deps.clock.now() } }, BATCH);
  for (const row of due) await createOne(deps, row);
}

/**
 * Open hand-over tasks (a message intent our channels could not push) of the last day whose
 * customer is a contact-me customer in WeCom (not blocked; 微信客服 chats have their own window)
 * and whose consultant has a WeCom userid: each gets its row, due at once.
 */
async function claimEligibleTasks(deps: TemplateTaskDeps): Promise<void> {
  const { db, storeId } = deps;
  const now = deps.clock.now();
  const contactMe = { channel: 'WECOM' as const, blockedAt: null, NOT: { externalId: { startsWith: kfChatId('') } } };
  const tasks = await db.staffTask.findMany({
    where: {
      storeId, doneAt: null, intentId: { not: null }, createdAt: { gte: new Date(now.getTime() - CLAIM_WITHIN_MS) }, wecomTemplate: { is: null },
      customer: { is: { identities: { some: contactMe } } },
      staff: { is: { active: true, channelLinks: { some: { channel: 'WECOM', blockedAt: null } } } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: BATCH,
    include: {
      customer: { include: { identities: { where: contactMe, orderBy: { lastSeenAt: 'desc' }, take: 1 } } },
      staff: { include: { channelLinks: { where: { channel: 'WECOM', blockedAt: null }, orderBy: { lastSeenAt: 'desc' }, take: 1 } } },
    },
  });
  const intents = await db.messageIntent.findMany({ where: { id: { in: tasks.flatMap((t) => (t.intentId ? [t.intentId] : [])) } }, select: { id: true, payload: true, expiresAt: true } });
  const intentById = new Map(intents.map((i) => [i.id, i]));
  for (const task of tasks) {
    const intent = task.intentId ? intentById.get(task.intentId) : undefined;
    const externalUserId = task.customer?.identities[0]?.externalId;
    const sender = task.staff?.channelLinks[0]?.externalId;
    if (!intent || intent.expiresAt <= now || !externalUserId || !sender || !task.staffId) continue;
    const text = wecomPlainText(JSON.parse(intent.payload) as OutboundMessage);
    await claimTemplate(db, { staffTaskId: task.id, storeId, staffId: task.staffId, sender, externalUserId, text, now, leaseUntil: now });
  }
}

/** One due CREATING row: under its lease, adopt the template a lost answer made, or make it. */
async function createOne(deps: TemplateTaskDeps, row: TemplateRow): Promise<void> {
  const { db, clock } = deps;
  const lease = await takeLapsedClaim(db, row, clock.now(), new Date(clock.now().getTime() + TEMPLATE_LEASE_MS));
  if (!lease) return; // another instance has it
  deps.onPoint?.('after-lease');
  let made: { msgid: string; failList: string[] } | null;
  try {
    const found = row.attempts > 0 ? await findMadeTemplate(deps, row) : null;
    if (found) {
      await recordCreated(db, row, lease, found, clock.now());
      return;
    }
    if (row.attempts >= MAX_TEMPLATE_CALLS) {
      await recordFailed(db, row, { state: 'CREATING', lease }, `企业微信多次未能创建群发：${row.error ?? '无应答'}`, clock.now());
      return;
    }
    if (!(await countCall(db, row.staffTaskId, lease))) return;
    made = await deps.api.addMsgTemplate({ sender: row.sender, externalUserIds: [row.externalUserId], text: row.text });
  } catch (error) {
    await settleFailure(deps, row, lease, error);
    return;
  }
  deps.onPoint?.('after-call');
  if (made.failList.includes(row.externalUserId)) {
    await recordFailed(db, row, { state: 'CREATING', lease }, '该客户不是您的企业微信客户，或已将您删除', clock.now());
    return;
  }
  await recordCreated(db, row, lease, made.msgid, clock.now());
}

/** A refusal ends the row (the consultant forwards by hand); "not now" and "no answer" back off, to be looked up and tried again. */
async function settleFailure(deps: TemplateTaskDeps, row: TemplateRow, lease: Date, error: unknown): Promise<void> {
  const outcome = classifyWecomError(error);
  const now = deps.clock.now();
  deps.logger.warn({ err: error, staffTaskId: row.staffTaskId }, 'WeCom template not created');
  if (outcome.status === 'retry' || outcome.status === 'ambiguous') {
    const waitMs = Math.max(BACK_OFF_MS, outcome.status === 'retry' ? outcome.retryAfterMs ?? 0 : 0);
    await backOff(deps.db, row.staffTaskId, lease, new Date(now.getTime() + waitMs), outcome.error);
    return;
  }
  const reason = outcome.status === 'sent' ? 'unexpected answer' : outcome.error;
  await recordFailed(deps.db, row, { state: 'CREATING', lease }, `企业微信拒绝创建群发：${reason}`, now);
}

/**
 * The template an earlier call of this row made, if WeCom has one: made since the claim, with
 * this exact text, listing this customer for this sender, and not recorded by another task.
 */
async function findMadeTemplate(deps: TemplateTaskDeps, row: TemplateRow): Promise<string | null> {
  const to = deps.clock.now();
  const from = new Date(Math.max(row.createdAt.getTime() - LOOKUP_SLACK_MS, to.getTime() - LOOKUP_SPAN_MS));
  let cursor: string | undefined;
  do {
    const page = await deps.api.listApiTemplates({ from, to, ...(cursor ? { cursor } : {}) });
    for (const template of page.group_msg_list) {
      if (template.text?.content !== row.text) continue;
      if ((await deps.db.wecomTemplateTask.count({ where: { msgid: template.msgid } })) > 0) continue;
      const result = await deps.api.getGroupMsgSendResult({ msgid: template.msgid, userId: row.sender });
      if (result.send_list.some((entry) => entry.external_userid === row.externalUserId)) return template.msgid;
    }
    cursor = page.next_cursor || undefined;
  } while (cursor);
  return null;
}
