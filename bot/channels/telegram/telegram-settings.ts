import { z } from 'zod';
import { TELEGRAM_RATES } from '../../../core/outbox/platform-limits.ts';

const rate = (what: string, min: number, max: number) => z.coerce.number({ error: `must be ${what}` }).int(`must be ${what}`).min(min, `must be ${what}`).max(max, `must be ${what}`);

/** The Telegram channel's settings (see "Telegram" in README.md and .env.example). */
export const telegramSettings = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d{5,16}:[A-Za-z0-9_-]{30,64}$/, 'must be the token @BotFather gave you, like 123456789:AAH…(about 35 characters after the colon)')
      .optional(),
    TELEGRAM_WEBHOOK_URL: z
      .url({ protocol: /^https$/, error: 'must be the public https:// URL Telegram posts updates to, e.g. https://bot.example.com/telegram/webhook' })
      .refine((url) => /^\/(?!admin\b|api\b|r\/|chat\/|assets\/)[A-Za-z0-9_\-/]+$/.test(new URL(url).pathname), 'must end in a path of its own that the bot listens on, e.g. https://bot.example.com/telegram/webhook')
      .optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    TELEGRAM_API_ROOT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.telegram.org' })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://api.telegram.org'),
    TELEGRAM_MESSAGES_PER_SECOND: rate('a whole number of messages a second, 3–1000 (Telegram: 30)', 3, 1000).default(TELEGRAM_RATES.perSecond),
    TELEGRAM_CHAT_MESSAGES_PER_SECOND: rate('a whole number of messages a second to one chat, 1–100 (Telegram: 1)', 1, 100).default(TELEGRAM_RATES.perChatPerSecond),
  })
  .superRefine((settings, problems) => {
    if (settings.TELEGRAM_WEBHOOK_URL && !settings.TELEGRAM_BOT_TOKEN) {
      problems.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_URL'], message: 'is set but TELEGRAM_BOT_TOKEN is not: set the bot token too, or remove the webhook URL' });
    }
  });

export type TelegramSettings = z.infer<typeof telegramSettings>;
