import { GrammyError, HttpError, type Api } from 'grammy';
import type { ChannelSender, Envelope, SendOutcome } from '../../../core/outbox/channel-port.ts';
import { telegramLimits, TELEGRAM_RATES, type TelegramRates } from '../../../core/outbox/platform-limits.ts';
import type { RateLimit } from '../../../core/outbox/rate-limiter.ts';
import { renderForTelegram } from './telegram-render.ts';

/** Network errors that mean the request never reached Telegram: safe to try again. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The outbox's Telegram sender. Telegram has no idempotency key, so an identical resend after an
 * ambiguous failure could deliver twice: `resendIsSafe` is false and such a send becomes
 * `unknown` with an alert. Bots may write to anyone who started them (`canPush`).
 */
export class TelegramSender implements ChannelSender {
  readonly channel = 'TELEGRAM' as const;
  readonly resendIsSafe = false;
  readonly canPush = true;

  constructor(private readonly api: Api, private readonly rates: TelegramRates = TELEGRAM_RATES) {}

  rateLimits(envelope: Envelope): RateLimit[] {
    return telegramLimits(envelope.address, this.rates);
  }

  async send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> {
    const { text, keyboard, contactButton } = renderForTelegram(envelope.message);
    const markup = keyboard
      ? { reply_markup: { inline_keyboard: keyboard } }
      : contactButton ? { reply_markup: { keyboard: [[{ text: contactButton, request_contact: true }]], one_time_keyboard: true, resize_keyboard: true } } : {};
    try {
      const sent = await this.api.sendMessage(envelope.address, text, markup, grammySignal(signal));
      return { status: 'sent', providerMessageId: `${sent.chat.id}:${sent.message_id}` };
    } catch (error) {
      return classifyTelegramError(error);
    }
  }
}

/** grammY types its signal with the abort-controller polyfill's class; Node's AbortSignal is what it uses at run time. */
export const grammySignal = (signal: AbortSignal) => signal as unknown as Parameters<Api['sendMessage']>[3];

/** What a failed Bot API call means for the outbox; decided here, once. */
export function classifyTelegramError(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    const what = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      const retryAfter = error.parameters.retry_after;
      return { status: 'retry', error: what, ...(retryAfter ? { retryAfterMs: retryAfter * 1000 } : {}) };
    }
    if (error.error_code >= 500) return { status: 'retry', error: what };
    if (error.error_code === 403) return { status: 'blocked', error: what };
    return { status: 'rejected', error: what };
  }
  if (error instanceof HttpError) {
    const cause = error.error as { code?: string; type?: string; message?: string } | undefined;
    if (cause?.code && NEVER_SENT.has(cause.code)) return { status: 'retry', error: `${error.message} (${cause.code})` };
    // A proxy's HTML error page instead of the Bot API's JSON: Telegram itself did not take the message.
    if (cause?.type === 'invalid-json') return { status: 'retry', error: `${error.message} (not a Bot API answer)` };
    return { status: 'ambiguous', error: `${error.message}${cause?.message ? ` (${cause.message})` : ''}` };
  }
  return { status: 'ambiguous', error: error instanceof Error ? error.message : String(error) };
}
