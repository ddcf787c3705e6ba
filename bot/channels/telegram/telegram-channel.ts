import { Api, GrammyError } from 'grammy';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../core/clock.ts';
import type { Config } from '../../../core/config.ts';
import type { Database } from '../../../core/db/open-database.ts';
import type { Logger } from '../../../core/logger.ts';
import { ALLOWED_UPDATES, TelegramPolling } from './telegram-polling.ts';
import { TelegramSender } from './telegram-sender.ts';
import type { TelegramAcknowledger } from './telegram-update-handler.ts';
import { deriveWebhookSecret, registerTelegramWebhook } from './telegram-webhook.ts';

/** Start-up could not reach the bot; the message says what to check. */
export class TelegramSetupError extends Error {}

export interface TelegramChannel {
  botUsername: string;
  sender: TelegramSender;
  acks: TelegramAcknowledger;
  /** Polling: 'polling'; webhook: its URL. */
  mode: string;
  /** Adds the webhook route (webhook mode only); call before the server listens. */
  registerRoutes(app: FastifyInstance): void;
  /** Starts polling, or sets the webhook. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Telegram channel from the settings: checks the token with getMe (to learn the bot's
 * username for t.me links), and runs long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.
 */
export async function createTelegramChannel(deps: { config: Config; db: Database; clock: Clock; logger: Logger; onStored: () => void; alertStoreId: string }): Promise<TelegramChannel> {
  const { config } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramSetupError('TELEGRAM_BOT_TOKEN is not set');
  const api = new Api(token, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 60 });
  let me;
  try {
    me = await api.getMe();
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) throw new TelegramSetupError('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather (/mybots → API Token).');
    throw new TelegramSetupError(`Could not reach the Telegram Bot API at ${config.TELEGRAM_API_ROOT} (${(error as Error).message}). Check the network, or TELEGRAM_API_ROOT.`);
  }
  const acks: TelegramAcknowledger = {
    answerCallbackQuery: async (id, text) => { await api.answerCallbackQuery(id, text ? { text } : {}); },
    removeKeyboard: async (chatId, messageId) => { await api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } }); },
  };
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  const polling = webhookUrl ? null : new TelegramPolling(api, deps);
  const secret = config.TELEGRAM_WEBHOOK_SECRET ?? deriveWebhookSecret(token);
  return {
    botUsername: me.username,
    sender: new TelegramSender(api),
    acks,
    mode: webhookUrl ?? 'polling',
    registerRoutes(app) {
      if (webhookUrl) registerTelegramWebhook(app, { path: new URL(webhookUrl).pathname, secret, db: deps.db, clock: deps.clock, onStored: deps.onStored });
    },
    async start() {
      if (polling) return polling.start();
      await api.setWebhook(webhookUrl ?? '', { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    },
    async stop() {
      await polling?.stop();
    },
  };
}
