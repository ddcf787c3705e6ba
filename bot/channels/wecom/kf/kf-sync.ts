import type { Clock } from '../../../../core/clock.ts';
import { recordInboundUpdate } from '../../../../core/inbox/record-inbound-update.ts';
import type { KfMessage } from '../wecom-api-schemas.ts';
import { kfChatId, kfUpdateId } from './kf-chat-id.ts';
import { sendKfWelcome, startKfChat, type KfWelcomeDeps } from './kf-welcome.ts';
import { noteCustomerMessage } from './kf-window.ts';

/** kf/sync_msg origin: 3 a message from the WeChat customer, 4 an event, 5 a servicer's message from the WeCom client. */
const FROM_CUSTOMER = 3;
const EVENT = 4;

/** Where a test may stop the pull as if the process died: after a page is stored, after the cursor moved. */
export type KfSyncPoint = 'page-stored' | 'cursor-moved';

/** What pulling needs. */
export interface KfSyncDeps extends KfWelcomeDeps {
  clock: Clock;
  /** Called after storing updates in the durable inbox, so the inbox worker looks at once. */
  onStored(): void;
  /** Test hook: throwing here simulates a crash at that point. */
  onPoint?(point: KfSyncPoint): void;
  /** Messages per kf/sync_msg page (1–1000, default 1000). */
  pageSize?: number;
}

/**
 * Pulls 微信客服 messages with kf/sync_msg after a kf_msg_or_event callback. Each page's messages
 * are stored in the durable inbox (update id `kf:<msgid>`, chat `kf:<external_userid>`) before
 * the cursor, persisted per account, moves past them: a restart in the middle reads the page
 * again and the inbox ignores what it holds already, so every message is stored once. Pulls for
 * one account run one after another (each callback's pull starts when the previous one ends),
 * never in parallel; one process pulls (see the report on several instances).
 */
export class KfSync {
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly deps: KfSyncDeps) {}

  /** Pulls everything new for the account; `token` is the callback's (valid 10 minutes). */
  pull(token: string, openKfId: string): Promise<void> {
    const previous = this.#running.get(openKfId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#pullAll(token, openKfId));
    this.#running.set(openKfId, next);
    void next.catch(() => undefined).then(() => {
      if (this.#running.get(openKfId) === next) this.#running.delete(openKfId);
    });
    return next;
  }

  async #pullAll(token: string, openKfId: string): Promise<void> {
    const { api, db, clock } = this.deps;
    let cursor = (await db.wecomKfCursor.findUnique({ where: { openKfId } }))?.cursor;
    for (;;) {
      const page = await api.kfSyncMsg({ openKfId, token, ...(cursor ? { cursor } : {}), ...(this.deps.pageSize ? { limit: this.deps.pageSize } : {}) });
      const welcomes: string[] = [];
      for (const message of page.msg_list) await this.#store(message, openKfId, welcomes);
      // Before the cursor moves: a restart finds the claimed code and does not use it twice.
      for (const code of welcomes) await sendKfWelcome(this.deps, code, clock.now());
      this.deps.onPoint?.('page-stored');
      if (page.next_cursor) {
        cursor = page.next_cursor;
        await db.wecomKfCursor.upsert({ where: { openKfId }, create: { openKfId, cursor, updatedAt: clock.now() }, update: { cursor, updatedAt: clock.now() } });
      }
      this.deps.onPoint?.('cursor-moved');
      this.deps.onStored();
      if (!page.has_more || !page.next_cursor) return;
    }
  }

  /** One sync_msg entry: a customer's message is stored; enter_session starts the chat; the rest is not ours. */
  async #store(message: KfMessage, openKfId: string, welcomes: string[]): Promise<void> {
    const event = message.event;
    const externalUserId = message.external_userid ?? event?.external_userid;
    if (!externalUserId) return;
    const chatId = kfChatId(externalUserId);
    if (message.origin === EVENT && event?.event_type === 'enter_session' && event.welcome_code) {
      const entered = { msgid: message.msgid, sendTime: message.send_time, externalUserId, scene: event.scene, welcomeCode: event.welcome_code };
      await startKfChat(this.deps, entered);
      welcomes.push(event.welcome_code);
      return;
    }
    const isEntry = message.origin === EVENT && event?.event_type === 'enter_session';
    if (message.origin !== FROM_CUSTOMER && !isEntry) {
      if (event?.event_type === 'msg_send_fail') this.deps.logger.warn({ chatId, msgid: message.msgid }, '微信客服 reports a message of ours not delivered');
      return;
    }
    await recordInboundUpdate(this.deps.db, { channel: 'WECOM', updateId: kfUpdateId(message.msgid), chatId, payload: JSON.stringify(message), receivedAt: this.deps.clock.now() });
    if (message.origin === FROM_CUSTOMER) await noteCustomerMessage(this.deps.db, { chatId, openKfId, externalUserId }, new Date(message.send_time * 1000), message.msgid);
  }
}
