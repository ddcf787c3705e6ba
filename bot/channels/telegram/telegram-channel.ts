import { Api, GrammyError } from 'grammy';
import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import { invitationPayload, sourcePayload } from '../../../core/inbound/start-payload.ts';
import { ChannelSetupError, type ChannelDeps, type OpenChannel } from '../channel-module.ts';
import { telegramInboxAdapter, type TelegramAcknowledger } from './telegram-inbox-adapter.ts';
import { ALLOWED_UPDATES, TelegramPolling } from './telegram-polling.ts';
import { TelegramSender } from './telegram-sender.ts';
import type { TelegramSettings } from './telegram-settings.ts';
import { deriveWebhookSecret, registerTelegramWebhook } from './telegram-webhook.ts';

/** Start-up could not reach the bot; the message says what to check. */
export class TelegramSetupError extends ChannelSetupError {
  constructor(message: string) {
    super('Telegram', message);
    this.name = 'TelegramSetupError';
  }
}

/** The Telegram channel while it runs. */
export interface TelegramChannel extends OpenChannel {
  /** Its intake stores updates in the durable inbox; this reads them. */
  readonly inbox: InboxAdapter;
  readonly botUsername: string;
  readonly acks: TelegramAcknowledger;
  /** Polling: 'polling'; webhook: its URL. */
  readonly mode: string;
}

/** A Telegram deep link: `/start <payload>` in a chat with the bot. */
const deepLink = (botUsername: string, payload: string): string => `https://t.me/${botUsername}?start=${payload}`;

/**
 * The Telegram channel from its settings: checks the token with getMe (to learn the bot's
 * username for t.me links), and runs long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.
 */
export async function createTelegramChannel(settings: TelegramSettings, deps: ChannelDeps): Promise<TelegramChannel> {
  const token = settings.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramSetupError('TELEGRAM_BOT_TOKEN is not set');
  const api = new Api(token, { apiRoot: settings.TELEGRAM_API_ROOT, timeoutSeconds: 60 });
  const me = await api.getMe().catch((error: unknown) => {
    if (error instanceof GrammyError && error.error_code === 401) throw new TelegramSetupError('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather (/mybots → API Token).');
    throw new TelegramSetupError(`Could not reach the Telegram Bot API at ${settings.TELEGRAM_API_ROOT} (${(error as Error).message}). Check the network, or TELEGRAM_API_ROOT.`);
  });
  const acks: TelegramAcknowledger = {
    answerCallbackQuery: async (id, text) => { await api.answerCallbackQuery(id, text ? { text } : {}); },
    removeKeyboard: async (chatId, messageId) => { await api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } }); },
  };
  const webhookUrl = settings.TELEGRAM_WEBHOOK_URL;
  const polling = webhookUrl ? null : new TelegramPolling(api, deps);
  const secret = settings.TELEGRAM_WEBHOOK_SECRET ?? deriveWebhookSecret(token);
  const mode = webhookUrl ?? 'polling';
  return {
    channel: 'TELEGRAM',
    label: 'Telegram',
    botUsername: me.username,
    sender: new TelegramSender(api, { perSecond: settings.TELEGRAM_MESSAGES_PER_SECOND, perChatPerSecond: settings.TELEGRAM_CHAT_MESSAGES_PER_SECOND }),
    inbox: telegramInboxAdapter({ db: deps.db, logger: deps.logger, defaultLocale: deps.inbound.settings.defaultLocale }, acks),
    acks,
    mode,
    registerRoutes(app) {
      if (webhookUrl) registerTelegramWebhook(app, { path: new URL(webhookUrl).pathname, secret, db: deps.db, clock: deps.clock, onStored: deps.onStored });
    },
    async start() {
      if (polling) return polling.start().catch(setupFailed);
      await api.setWebhook(webhookUrl ?? '', { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }).catch(setupFailed);
    },
    intakeOnOneInstance: polling !== null,
    async stop() {
      await polling?.stop();
    },
    entryLinks: [{ name: 'telegram', label: 'Telegram', link: (code) => deepLink(me.username, sourcePayload(code)) }],
    invitationLink: (token) => ({ url: deepLink(me.username, invitationPayload(token)), howTo: '用手机扫码或打开下面的链接，在 Telegram 里点“开始”' }),
    statusLines: () => [{ label: 'Telegram', value: `https://t.me/${me.username} (${polling ? 'long polling' : `webhook ${mode}`})` }],
  };
}

/** Telegram refused to start the intake (deleteWebhook, setWebhook): what it said is what to fix. */
function setupFailed(error: unknown): never {
  if (error instanceof GrammyError) throw new TelegramSetupError(error.message);
  throw error;
}
