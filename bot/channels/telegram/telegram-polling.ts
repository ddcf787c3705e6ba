import { GrammyError, type Api } from 'grammy';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { Logger } from '../../../core/logger.ts';
import { grammySignal } from './telegram-sender.ts';
import { chatOfUpdate } from './telegram-update.ts';

/** The updates this bot acts on; Telegram sends nothing else (no edits, no channel posts). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollingOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  onStored: () => void;
  /** Long-poll timeout in seconds (Telegram holds the request this long when there is nothing). */
  timeoutSeconds?: number;
  /** Waits between failed polls, growing to the last one. */
  backoffMs?: number[];
}

/**
 * Long polling (getUpdates). Each update is stored in the durable inbox before the next
 * getUpdates confirms it by its offset, so a crash at any point loses nothing; an update stored
 * but not confirmed comes again and is ignored as a duplicate. Network errors, 5xx and 409
 * (another instance polling) are retried with backoff; the loop ends only on stop().
 */
export class TelegramPolling {
  #offset = 0;
  #stopping = false;
  #abort: AbortController | null = null;
  #loop: Promise<void> | null = null;

  constructor(private readonly api: Api, private readonly o: PollingOptions) {}

  async start(): Promise<void> {
    await this.api.deleteWebhook(); // Telegram refuses getUpdates while a webhook is set
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const backoff = this.o.backoffMs ?? [1000, 2000, 5000, 10_000, 30_000];
    let failures = 0;
    while (!this.#stopping) {
      try {
        await this.pollOnce();
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        const wait = backoff[Math.min(failures, backoff.length - 1)] ?? 1000;
        failures += 1;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        this.o.logger[conflict ? 'warn' : 'error']({ err: error, retryInMs: wait }, conflict ? 'Telegram: another getUpdates or a webhook is active' : 'Telegram polling failed');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** One getUpdates round: store what came, then move the offset past it (the loop, and tests, call it). */
  async pollOnce(): Promise<void> {
    this.#abort = new AbortController();
    const updates = await this.api.getUpdates({ offset: this.#offset, timeout: this.o.timeoutSeconds ?? 25, allowed_updates: [...ALLOWED_UPDATES] }, grammySignal(this.#abort.signal));
    for (const update of updates) {
      await recordInboundUpdate(this.o.db, {
        channel: 'TELEGRAM', updateId: String(update.update_id), chatId: chatOfUpdate(update) ?? 'none', payload: JSON.stringify(update), receivedAt: this.o.clock.now(),
      });
      this.#offset = update.update_id + 1;
    }
    if (updates.length > 0) this.o.onStored();
  }
}
