import { MAX_CALLBACK_DATA_BYTES, MAX_TEXT_CHARS, renderForTelegram } from '../channels/telegram/telegram-render.ts';
import { WebChatSender } from '../channels/web/web-chat-sender.ts';
import { WebChatPresence } from '../channels/web/web-chat-presence.ts';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { ChannelName, OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../core/outbox/channel-port.ts';
import { telegramLimits } from '../../core/outbox/platform-limits.ts';
import type { RateLimit } from '../../core/outbox/rate-limiter.ts';
import type { CostMeter } from './cost-meter.ts';

/** One message as its recipient received it. */
export interface Delivery {
  at: number;
  channel: ChannelName;
  address: string;
  intentId: string;
  dedupeKey: string;
  message: OutboundMessage;
  /** Telegram's message id, which a tap on its buttons names. */
  messageId?: number;
}

/** Faults a test plants in the fakes, to prove the invariants catch them. */
export interface ChannelFaults {
  /** The n-th delivery (from 0) is delivered twice, as a broken platform would. */
  deliverTwice?: number;
}

/**
 * Every delivery of the run, in order, and who is told: the simulated people read what they
 * receive from here (a survey question, a reminder) and react to it.
 */
export class DeliveryLog {
  readonly deliveries: Delivery[] = [];
  /** Platform limits the core broke (each answered as the platform would: 429). */
  readonly limitBreaches: { at: number; channel: ChannelName; what: string }[] = [];
  #listener: (delivery: Delivery) => void = () => undefined;

  constructor(private readonly faults: ChannelFaults = {}) {}

  onDelivery(listener: (delivery: Delivery) => void): void {
    this.#listener = listener;
  }

  record(delivery: Delivery): void {
    const copies = this.deliveries.length === this.faults.deliverTwice ? 2 : 1;
    for (let i = 0; i < copies; i += 1) {
      this.deliveries.push(delivery);
      this.#listener(delivery);
    }
  }
}

const envelopeDelivery = (envelope: Envelope, at: number): Delivery => ({
  at, channel: envelope.channel, address: envelope.address, intentId: envelope.intentId, dedupeKey: envelope.dedupeKey, message: envelope.message,
});

/** The web chat (and the staff console) as it runs: the real sender stores the message for the page; the log records it. */
export class SimWebChannel implements ChannelSender {
  readonly channel = 'WEB' as const;
  readonly resendIsSafe: boolean;
  readonly canPush: boolean;
  readonly #inner: WebChatSender;

  constructor(db: Database, private readonly clock: Clock, private readonly log: DeliveryLog, private readonly meter: CostMeter) {
    this.#inner = new WebChatSender(db, clock, new WebChatPresence(clock)); // no SMS in the simulation: an unwatched chat still gets its messages
    this.resendIsSafe = this.#inner.resendIsSafe;
    this.canPush = this.#inner.canPush;
  }

  rateLimits(envelope: Envelope): RateLimit[] {
    return this.#inner.rateLimits(envelope);
  }

  async send(envelope: Envelope): Promise<SendOutcome> {
    const outcome = await this.#inner.send(envelope);
    if (outcome.status === 'sent') await this.meter.part('fakes', async () => this.log.record(envelopeDelivery(envelope, this.clock.now().getTime())));
    return outcome;
  }
}

/**
 * Telegram's Bot API in process, with its rules as the fake server (test/fakes/fake-telegram-
 * server.ts) enforces them: one message a second per chat, 30 a second overall, 4096
 * characters, 64-byte button data. A breach is answered 429 with retry_after and recorded.
 */
export class SimTelegramChannel implements ChannelSender {
  readonly channel = 'TELEGRAM' as const;
  readonly resendIsSafe = false;
  readonly canPush = true;
  readonly #lastByChat = new Map<string, number>();
  readonly #lastSecond: number[] = [];
  #messageId = 1;

  constructor(private readonly clock: Clock, private readonly log: DeliveryLog, private readonly meter: CostMeter) {}

  rateLimits(envelope: Envelope): RateLimit[] {
    return telegramLimits(envelope.address);
  }

  send(envelope: Envelope): Promise<SendOutcome> {
    return this.meter.part('fakes', async () => this.#accept(envelope));
  }

  #accept(envelope: Envelope): SendOutcome {
    const now = this.clock.now().getTime();
    const rendered = renderForTelegram(envelope.message);
    if ([...rendered.text].length > MAX_TEXT_CHARS) return { status: 'rejected', error: '400 Bad Request: message is too long' };
    if (rendered.keyboard?.flat().some((b) => Buffer.byteLength(b.callback_data) > MAX_CALLBACK_DATA_BYTES)) return { status: 'rejected', error: '400 Bad Request: BUTTON_DATA_INVALID' };
    const last = this.#lastByChat.get(envelope.address);
    if (last !== undefined && now - last < 1000) return this.#tooMany(now, `chat ${envelope.address}: ${now - last} ms after the previous message`);
    while (this.#lastSecond.length > 0 && now - (this.#lastSecond[0] as number) >= 1000) this.#lastSecond.shift();
    if (this.#lastSecond.length >= 30) return this.#tooMany(now, 'overall: 31 messages within a second');
    this.#lastByChat.set(envelope.address, now);
    this.#lastSecond.push(now);
    const messageId = (this.#messageId += 1);
    this.log.record({ ...envelopeDelivery(envelope, now), messageId });
    return { status: 'sent', providerMessageId: `${envelope.address}:${messageId}` };
  }

  #tooMany(now: number, what: string): SendOutcome {
    this.log.limitBreaches.push({ at: now, channel: 'TELEGRAM', what });
    return { status: 'retry', error: `429 Too Many Requests: ${what}`, retryAfterMs: 1000 };
  }
}
