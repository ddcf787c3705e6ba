// The Telegram channel keeps the channel contract, against the fake Bot API on 127.0.0.1: its
// sender classifies the Bot API's answers, and updates taken in by long polling go through the
// durable inbox and core's inbound pipeline, each once.
import { Api } from 'grammy';
import type { InboxRow } from '../../../core/inbox/inbox-worker.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { invitationPayload } from '../../../core/inbound/start-payload.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import { createStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { TelegramPolling } from '../../../bot/channels/telegram/telegram-polling.ts';
import { TelegramSender } from '../../../bot/channels/telegram/telegram-sender.ts';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { createTestApp, TEST_START, type TestApp } from '../../helpers/test-app.ts';
import { openTelegram, TEST_BOT_TOKEN } from '../../helpers/test-telegram.ts';
import { describeChannelContract, type ArrangedSend, type ChannelHarness, type ContractEvent, type PlatformAnswer } from './channel-contract.ts';

/** A private chat (its id is the user's), and the last update from it, to deliver again. */
interface TelegramChat {
  id: number;
  last?: Record<string, unknown> & { update_id: number };
}

let nextChat = 7_770_001;

/** The replies queued for one update (REPLY intents keyed by it), in order. */
async function repliesTo(t: TestApp, updateId: number): Promise<OutboundMessage[]> {
  const rows = await t.ctx.db.messageIntent.findMany({ where: { dedupeKey: { startsWith: `reply:TELEGRAM:${updateId}:` } } });
  const index = (key: string) => Number(key.split(':').at(-1));
  return rows.sort((a, b) => index(a.dedupeKey) - index(b.dedupeKey)).map((row) => JSON.parse(row.payload) as OutboundMessage);
}

async function telegramHarness(): Promise<ChannelHarness<TelegramChat>> {
  let now = () => Date.parse(TEST_START);
  const fake = new FakeTelegramServer(TEST_BOT_TOKEN, () => now());
  const apiRoot = await fake.start();
  const t = await createTestApp();
  now = () => t.clock.now().getTime();
  const channel = await openTelegram(t, { TELEGRAM_API_ROOT: apiRoot });
  const polling = new TelegramPolling(new Api(TEST_BOT_TOKEN, { apiRoot }), { db: t.ctx.db, clock: t.clock, logger: silentLogger, onStored: () => undefined, alertStoreId: t.setup.storeId, timeoutSeconds: 0 });
  const handle = inboxHandler(t.ctx.inbound, [channel.inbox]);
  const inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle });
  const stored = (updateId: number): Promise<InboxRow> => t.ctx.db.inboundUpdate.findUniqueOrThrow({ where: { channel_updateId: { channel: 'TELEGRAM', updateId: String(updateId) } } });

  /** What the bot's loops do next: take in what the fake holds, handle everything stored. */
  async function takeIn(): Promise<void> {
    await polling.pollOnce();
    while ((await inbox.runOnce()) > 0) { /* everything stored */ }
  }
  /** The chat's user sends a text (or a /start); the replies queued for it. */
  async function say(chat: TelegramChat, text: string): Promise<OutboundMessage[]> {
    chat.last = fake.queueText(chat.id, text) as TelegramChat['last'] & object;
    await takeIn();
    return repliesTo(t, chat.last.update_id);
  }

  return {
    t,
    channel,
    arrangeSend: (answer) => arrangeSend(fake, channel.sender, answer),
    customerChat: async () => ({ id: (nextChat += 1) }),
    async staffChat(staffId) {
      const admin = { staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' as const };
      const { token } = await createStaffInvitation(t.ctx.db, t.clock, admin, { staffId, channel: 'TELEGRAM' });
      const chat = { id: (nextChat += 1) };
      await say(chat, `/start ${invitationPayload(token)}`);
      return chat;
    },
    deliver: (chat, event: ContractEvent) => say(chat, event.kind === 'text' ? event.text : `/start ${event.sourceCode ?? ''}`.trim()),
    async replayLast(chat) {
      if (!chat.last) throw new Error('nothing was sent from this chat yet');
      const updateId = chat.last.update_id;
      const before = (await repliesTo(t, updateId)).length;
      fake.queue(chat.last); // Telegram delivers it again, with the same update_id
      await takeIn();
      await handle(await stored(updateId)); // and a second worker takes the stored row again
      return (await repliesTo(t, updateId)).slice(before);
    },
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** Makes the fake Bot API answer the next sendMessage so. */
async function arrangeSend(fake: FakeTelegramServer, sender: ArrangedSend['sender'], answer: PlatformAnswer): Promise<ArrangedSend> {
  const known = (nextChat += 1);
  fake.queueText(known, 'hi'); // a chat exists for Telegram once its user wrote to the bot
  const envelope = (address: number) => ({ intentId: 'contract-intent', dedupeKey: 'contract', channel: 'TELEGRAM' as const, address: String(address), message: { kind: 'text' as const, text: '你好' }, attempt: 1 });
  const arranged = (address = known, signal = new AbortController().signal, via = sender) => ({ sender: via, envelope: envelope(address), signal });
  switch (answer) {
    case 'accepted':
      return arranged();
    case 'rate_limited':
      fake.script('sendMessage', { status: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
      return arranged();
    case 'server_error':
      fake.script('sendMessage', { status: 502, description: 'Bad Gateway' });
      return arranged();
    case 'unreachable': {
      // The channel's sender for a Bot API server that is down. (One that closed an idle kept-alive
      // connection makes the next send fail with "socket hang up", which is classified ambiguous.)
      const gone = new FakeTelegramServer(TEST_BOT_TOKEN);
      const root = await gone.start();
      await gone.close();
      return arranged(known, undefined, new TelegramSender(new Api(TEST_BOT_TOKEN, { apiRoot: root })));
    }
    case 'no_answer':
      fake.script('sendMessage', { hang: true });
      return arranged(known, AbortSignal.timeout(200));
    case 'blocked':
      fake.block(known);
      return arranged();
    case 'rejected':
      return arranged((nextChat += 1)); // a chat that never wrote to the bot: 400 chat not found
    default:
      return answer satisfies never;
  }
}

describeChannelContract('Telegram', telegramHarness);
