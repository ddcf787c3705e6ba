import type { DatabaseTx } from '../db/open-database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { retryOnConversationConflict, saveConversation } from '../flows/conversation-store.ts';
import { linkChatByPhone } from '../customers/link-chat-by-phone.ts';
import { markInboundHandled } from '../inbox/mark-inbound-handled.ts';
import { replyToChat, storeOfChat } from '../inbox/reply-to-chat.ts';
import type { InboundMessage, OutboundMessage } from '../messages.ts';
import { sanitizeText, TextRefusedError } from '../text/sanitize-text.ts';
import { markChatSeen } from '../outbox/reach.ts';
import { loadInboundContext, type InboundDeps } from './inbound-context.ts';
import { INBOUND_STEPS, runInboundSteps, type StepAnswer } from './inbound-pipeline.ts';

/** How a message reached us: that decides how it is claimed and where its replies go. */
export type InboundReceipt =
  /**
   * Stored in the durable inbox before the platform was told it arrived (Telegram, WeCom: they
   * push and forget): the row is marked handled with the effects; the replies are queued in the
   * outbox as REPLY intents, keyed by the update.
   */
  | { kind: 'inbox'; rowId: number }
  /**
   * A request that waits for its answer (the web chat, the staff console): recorded in the inbox,
   * already handled, with its effects, under its update id, so a retried request changes
   * nothing; the replies are returned to show at once.
   */
  | { kind: 'request' };

/** What became of a message. */
export interface InboundOutcome {
  /** The pipeline step that handled it; 'duplicate' when it had been handled before. */
  handledBy: string;
  /** The replies: returned for a request, queued for an inbox row. Empty for a duplicate. */
  replies: OutboundMessage[];
}

const DUPLICATE: InboundOutcome = { handledBy: 'duplicate', replies: [] };

/**
 * The one way into core for a message from any channel. Exactly once: claiming the message,
 * its step's writes (a staff command, a registration, an opt-out), the conversation's next
 * state and the replies commit in one transaction, so a crash re-runs all of it or none, and a
 * replay finds it handled and changes nothing. A concurrent save of the same chat's conversation
 * makes it re-read and run again.
 */
export async function handleInboundMessage(deps: InboundDeps, raw: InboundMessage, receipt: InboundReceipt): Promise<InboundOutcome> {
  const message = withCleanText(raw);
  try {
    return await retryOnConversationConflict(() => deps.db.$transaction((tx) => handleInTransaction(tx, deps, message, receipt)));
  } catch (error) {
    // Two copies of one request at once: the other recorded it first (only a database that does not serialize writers gets here).
    if (receipt.kind === 'request' && isUniqueViolation(error)) return DUPLICATE;
    throw error;
  }
}

/**
 * What a person typed, on any channel, cleaned by the one sanitizer before any step reads it
 * (staff commands, registration answers, complaints, survey comments). Text that cannot be read
 * (a broken character) or that had nothing visible is treated like a sticker: the sender is
 * asked, politely, to type it again.
 */
function withCleanText(message: InboundMessage): InboundMessage {
  if (message.event.kind !== 'text') return message;
  try {
    const text = sanitizeText(message.event.text, { multiline: true });
    return { ...message, event: text === '' ? { kind: 'unsupported', unreadableText: true } : { kind: 'text', text } };
  } catch (error) {
    if (error instanceof TextRefusedError) return { ...message, event: { kind: 'unsupported', unreadableText: true } };
    throw error;
  }
}

async function handleInTransaction(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage, receipt: InboundReceipt): Promise<InboundOutcome> {
  const now = deps.clock.now();
  if (!(await claim(tx, message, receipt, now))) return DUPLICATE;
  if (message.senderPhone) await linkChatByPhone(tx, message, message.senderPhone, now);
  // Someone wrote from this chat: it reaches them again (they unblocked us), and it is their latest.
  if (message.event.kind !== 'ignored') await markChatSeen(tx, message.channel, message.chatId, now);
  const ctx = await loadInboundContext(tx, deps, message, now);
  const { step, answer } = await runInboundSteps(INBOUND_STEPS, ctx);
  if (answer.state && answer.state !== ctx.conversation?.state) await saveConversation(tx, message.channel, message.chatId, ctx.conversation, answer.state);
  if (receipt.kind === 'inbox') await queueReplies(tx, message, answer, now);
  else await recordRequest(tx, message, step, now);
  return { handledBy: step, replies: answer.replies };
}

/**
 * Records a request as an inbox row born handled: its update id is taken from now on. Only the
 * event's kind and the step that handled it are kept, not what the customer typed.
 */
async function recordRequest(tx: DatabaseTx, message: InboundMessage, step: string, now: Date): Promise<void> {
  const payload = JSON.stringify({ kind: message.event.kind, handledBy: step });
  await tx.inboundUpdate.create({ data: { channel: message.channel, updateId: message.updateId, chatId: message.chatId, payload, receivedAt: now, handledAt: now } });
}

/** False when the message was handled before: the transaction must then change nothing. */
async function claim(tx: DatabaseTx, message: InboundMessage, receipt: InboundReceipt, now: Date): Promise<boolean> {
  if (receipt.kind === 'inbox') return markInboundHandled(tx, receipt.rowId, now);
  const seen = await tx.inboundUpdate.findUnique({ where: { channel_updateId: { channel: message.channel, updateId: message.updateId } }, select: { id: true } });
  return seen === null;
}

/** Queues the replies to the chat as REPLY intents, for the store (and staff member) they belong to. */
async function queueReplies(tx: DatabaseTx, message: InboundMessage, answer: StepAnswer, now: Date): Promise<void> {
  if (answer.replies.length === 0) return;
  const to = answer.replyTo ?? { storeId: await storeOfChat(tx, message.channel, message.chatId) };
  await replyToChat(tx, { channel: message.channel, updateId: message.updateId, chatId: message.chatId }, answer.replies, { ...to, now });
}
