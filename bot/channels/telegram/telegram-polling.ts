import { GrammyError, type Api } from 'grammy';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { Logger } from '../../../core/logger.ts';
import { raiseAlert } from '../../../core/outbox/alerts.ts';
import { grammySignal } from './telegram-sender.ts';
import { chatOfUpdate } from './telegram-update.ts';

/** The updates this bot acts on; Telegram sends nothing else (no edits, no channel posts). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollingOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  onStored: () => void;
  /** The store whose admins are told when Telegram refuses the token. */
  alertStoreId: string;
  /** Long-poll timeout in seconds (Telegram holds the request this long when there is nothing). */
  timeoutSeconds?: number;
  /** Waits between failed polls, growing to the last one. */
  backoffMs?: number[];
}

/** What a failed getUpdates means for the loop. */
type PollFailure =
  | { action: 'stop'; log: string }
  | { action: 'wait'; ms: number; log: string; level: 'warn' | 'error' };

/** Said when Telegram answers 401: the token was revoked (or the bot deleted) after start-up. */
export const TOKEN_REFUSED = 'Telegram refuses the bot token (401 Unauthorized): it was revoked in @BotFather or the bot was deleted. '
  + 'Polling has stopped; copy the current token from @BotFather into TELEGRAM_BOT_TOKEN and restart.';

/**
 * Decides once what a failed getUpdates means: 401 stops polling (retrying a revoked token
 * only hammers Telegram); 429 waits exactly as long as Telegram asks; 409 means another process
 * polls with this token or a webhook is set, which backoff alone will not fix, so the log says
 * what to do; network errors and 5xx back off.
 */
export function classifyPollFailure(error: unknown, backoffMs: number): PollFailure {
  if (!(error instanceof GrammyError)) return { action: 'wait', ms: backoffMs, level: 'error', log: 'Telegram polling failed (network); retrying' };
  if (error.error_code === 401) return { action: 'stop', log: TOKEN_REFUSED };
  if (error.error_code === 429) {
    const retryAfterS = error.parameters.retry_after ?? 1;
    return { action: 'wait', ms: retryAfterS * 1000, level: 'warn', log: `Telegram asks to slow down (429): polling again in ${retryAfterS} s` };
  }
  if (error.error_code === 409) {
    return {
      action: 'wait', ms: backoffMs, level: 'error',
      log: 'Telegram: another process is polling with this bot token, or a webhook is set (409 Conflict). Run one instance per bot token (stop the other one), or use TELEGRAM_WEBHOOK_URL on every instance.',
    };
  }
  return { action: 'wait', ms: backoffMs, level: 'error', log: `Telegram polling failed (${error.error_code}); retrying` };
}

/**
 * Long polling (getUpdates). Each update is stored in the durable inbox before the next
 * getUpdates confirms it by its offset, so a crash at any point loses nothing; an update stored
 * but not confirmed comes again and is ignored as a duplicate. Failures are classified by
 * `classifyPollFailure`; the loop ends on stop() or when Telegram refuses the token.
 */
export class TelegramPolling {
  #offset = 0;
  #stopping = false;
  #refused = false;
  #abort: AbortController | null = null;
  #loop: Promise<void> | null = null;

  constructor(private readonly api: Api, private readonly o: PollingOptions) {}

  async start(): Promise<void> {
    await this.api.deleteWebhook(); // Telegram refuses getUpdates while a webhook is set
    this.#stopping = false; // started again after another instance polled meanwhile
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort?.abort();
    await this.#loop;
  }

  /** Whether polling stopped by itself because Telegram refused the token. */
  get refused(): boolean {
    return this.#refused;
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
        const failure = classifyPollFailure(error, backoff[Math.min(failures, backoff.length - 1)] ?? 1000);
        failures += 1;
        if (failure.action === 'stop') {
          await this.#stopRefused(failure.log);
          break;
        }
        this.o.logger[failure.level]({ err: error, retryInMs: failure.ms }, failure.log);
        await this.#sleep(failure.ms);
      }
    }
  }

  async #stopRefused(log: string): Promise<void> {
    this.#refused = true;
    this.o.logger.error(log);
    const now = this.o.clock.now();
    const message = 'Telegram 拒绝了机器人令牌（401：令牌已在 @BotFather 重置，或机器人已删除），Telegram 渠道已停止接收消息。请从 @BotFather 复制当前令牌填入 TELEGRAM_BOT_TOKEN 并重启服务。';
    await this.o.db.$transaction((tx) => raiseAlert(tx, { storeId: this.o.alertStoreId, kind: 'channel_failed', message, now }))
      .catch((error: unknown) => this.o.logger.error({ err: error }, 'could not record the Telegram alert'));
  }

  /** Waits, but wakes at once on stop(). */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#abort?.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
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
