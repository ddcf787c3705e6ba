import type { Database } from '../../../../core/db/open-database.ts';
import type { InboxAdapter } from '../../../../core/inbound/inbox-adapter.ts';
import { readStartCommand, readStartPayload } from '../../../../core/inbound/start-payload.ts';
import type { InboundEvent, OutboundMessage } from '../../../../core/messages.ts';
import { kfMessage } from '../wecom-api-schemas.ts';
import { sourceOfScene } from './kf-entry-links.ts';
import type { KfMessageBody } from './kf-render.ts';

/**
 * Reads stored 微信客服 messages (kf/sync_msg entries) into core's InboundEvent; core decides what
 * they mean. Text is text; a click on one of our menus (text with `menu_id`) is a button with
 * the choice's value; enter_session without a welcome_code starts at the link's QR source (with
 * one, the chat was started when it was pulled, see kf-welcome.ts); images, voice and the rest
 * are unsupported.
 */
export function kfInboxAdapter(deps: { db: Database }): InboxAdapter {
  return {
    channel: 'WECOM',
    async read(row) {
      const parsed = kfMessage.safeParse(JSON.parse(row.payload));
      if (!parsed.success) return { event: { kind: 'ignored', reason: 'not a 微信客服 message' } };
      const message = parsed.data;
      if (message.msgtype === 'event') {
        if (message.event?.event_type !== 'enter_session') return { event: { kind: 'ignored', reason: `微信客服 event ${message.event?.event_type ?? '?'}` } };
        return { event: { kind: 'start', sourceCode: await sourceOfScene(deps.db, message.event.scene) } };
      }
      if (message.msgtype !== 'text' || !message.text) return { event: { kind: 'unsupported' } };
      if (!message.text.menu_id) return { event: { kind: 'text', text: message.text.content } };
      return { event: await readMenuClick(deps.db, row.chatId, message.text.menu_id) };
    },
  };
}

/**
 * A menu click: a button whose value is the click's id, on the latest menu when the newest
 * message with choices we sent this chat offered it (a click on an older menu still on screen
 * must not answer the current question). A store choice's `/start <code>` starts there.
 */
async function readMenuClick(db: Database, chatId: string, menuId: string): Promise<InboundEvent> {
  const offered = await latestMenu(db, chatId);
  const onLatest = offered.includes(menuId);
  const start = onLatest ? readStartCommand(menuId) : null;
  if (start) return readStartPayload(start.payload);
  return { kind: 'button', data: menuId, onLatestKeyboard: onLatest };
}

/** The values offered by the newest message with choices sent to the chat: a sent intent, or the welcome. */
async function latestMenu(db: Database, chatId: string): Promise<string[]> {
  const [intent, welcome] = await Promise.all([
    db.messageIntent.findFirst({
      where: { state: 'SENT', channel: 'WECOM', address: chatId, payload: { contains: '"choices":[{' } },
      orderBy: [{ sentAt: 'desc' }, { id: 'desc' }], select: { payload: true, sentAt: true },
    }),
    db.wecomKfWelcome.findFirst({ where: { chatId, sentAt: { not: null } }, orderBy: { sentAt: 'desc' }, select: { payload: true, sentAt: true } }),
  ]);
  if (welcome && (!intent?.sentAt || (welcome.sentAt ?? 0) > intent.sentAt)) {
    const body = JSON.parse(welcome.payload) as KfMessageBody;
    return body.msgtype === 'msgmenu' ? body.msgmenu.list.map((item) => item.click.id) : [];
  }
  const message = intent ? (JSON.parse(intent.payload) as OutboundMessage) : null;
  return message?.kind === 'text' ? (message.choices ?? []).map((c) => c.value) : [];
}
