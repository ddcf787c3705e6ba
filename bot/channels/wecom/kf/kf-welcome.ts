// The welcome for a 微信客服 enter_session (kf/send_msg_on_event): one message, once per
// welcome_code, within 20 s of the event. The customer has not written yet, so kf/send_msg
// cannot reach them (its window opens with their first message): the registration's opening —
// the greeting, the privacy notice and its choices — must be this one message. So the start is
// handled at once, as a request (recorded in the inbox as handled, under the event's update id,
// like the web chat's messages), and its replies are joined into the welcome.
import type { Database } from '../../../../core/db/open-database.ts';
import { handleInboundMessage } from '../../../../core/inbound/handle-inbound-message.ts';
import type { InboundDeps } from '../../../../core/inbound/inbound-context.ts';
import type { Logger } from '../../../../core/logger.ts';
import type { WecomApiClient } from '../wecom-api-client.ts';
import { kfSendAnswer } from '../wecom-api-schemas.ts';
import { kfChatId, kfUpdateId } from './kf-chat-id.ts';
import { sourceOfScene } from './kf-entry-links.ts';
import { joinForKf, renderForKf } from './kf-render.ts';

/** 20 s, less a margin: send_time has whole seconds and the call takes a moment. */
export const WELCOME_WINDOW_MS = 18_000;

/** An enter_session event that carries a welcome_code. */
export interface KfEnterSession {
  msgid: string;
  sendTime: number;
  externalUserId: string;
  scene: string | undefined;
  welcomeCode: string;
}

/** What the welcome needs. */
export interface KfWelcomeDeps {
  api: WecomApiClient;
  db: Database;
  logger: Logger;
  inbound: InboundDeps;
}

/**
 * Starts the chat at the link's QR source through the core pipeline (exactly once: a replay of
 * the same event finds it handled) and stores the welcome to send for its code. Call before
 * the sync cursor moves past the event.
 */
export async function startKfChat(deps: KfWelcomeDeps, entered: KfEnterSession): Promise<void> {
  const chatId = kfChatId(entered.externalUserId);
  const sourceCode = await sourceOfScene(deps.db, entered.scene);
  const outcome = await handleInboundMessage(deps.inbound, { channel: 'WECOM', chatId, updateId: kfUpdateId(entered.msgid), event: { kind: 'start', sourceCode } }, { kind: 'request' });
  if (outcome.replies.length === 0) return;
  const payload = JSON.stringify(renderForKf(joinForKf(outcome.replies)));
  await deps.db.wecomKfWelcome.upsert({
    where: { welcomeCode: entered.welcomeCode },
    create: { welcomeCode: entered.welcomeCode, chatId, payload, eventAt: new Date(entered.sendTime * 1000) },
    update: {},
  });
}

/**
 * Sends a stored welcome if its code is still good: claimed first (the code works once, so a
 * crash after the claim loses the welcome rather than risking a refused second use), skipped
 * when 20 s have passed. Never throws: a failed welcome is logged and recorded on its row.
 */
export async function sendKfWelcome(deps: KfWelcomeDeps, welcomeCode: string, now: Date): Promise<void> {
  const claimed = await deps.db.wecomKfWelcome.updateMany({
    where: { welcomeCode, claimedAt: null, eventAt: { gt: new Date(now.getTime() - WELCOME_WINDOW_MS) } },
    data: { claimedAt: now },
  });
  if (claimed.count === 0) return;
  const welcome = await deps.db.wecomKfWelcome.findUniqueOrThrow({ where: { welcomeCode } });
  try {
    const body = { code: welcomeCode, ...(JSON.parse(welcome.payload) as object) };
    await deps.api.call('kf/send_msg_on_event', { body }, kfSendAnswer, AbortSignal.timeout(10_000));
    await deps.db.wecomKfWelcome.update({ where: { welcomeCode }, data: { sentAt: now } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, chatId: welcome.chatId }, '微信客服 welcome not sent');
    await deps.db.wecomKfWelcome.update({ where: { welcomeCode }, data: { error: message } });
  }
}
