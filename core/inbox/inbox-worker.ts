import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { ChannelName } from '../messages.ts';
import { raiseAlert } from '../outbox/alerts.ts';
import { WorkLoop } from '../scheduler/work-loop.ts';

/** A stored update as the handler gets it. */
export interface InboxRow {
  id: number;
  channel: ChannelName;
  updateId: string;
  chatId: string;
  payload: string;
  attempts: number;
}

export interface InboxWorkerOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Handles one update and marks it handled (markInboundHandled) in the transaction of its effects. */
  handle: (row: InboxRow) => Promise<void>;
  /** The store alerts about an update that could not be handled are raised for. */
  alertStoreId: string;
  /** Chats handled at once; one chat's updates are always handled one at a time, in order. */
  concurrency?: number;
  pollIntervalMs?: number;
  /** Attempts before an update is set aside (handled, with its error, and the admins alerted). */
  maxAttempts?: number;
  /** Called when an update's handling has committed (its replies are queued): the outbox sends them now, not at its next look. */
  onHandled?: () => void;
}

const RETRY_BASE_MS = 1000;

/**
 * Works through the durable inbox: each chat's updates strictly in the order they arrived, several
 * chats at once. An update whose handling throws is retried with backoff; after `maxAttempts` it
 * is set aside with its error and an alert, so one poisoned update cannot silence a chat. Whatever
 * was stored but not handled when the process stopped is picked up when it starts again.
 */
export class InboxWorker {
  readonly #o: Required<InboxWorkerOptions>;
  readonly #notBefore = new Map<number, number>();
  readonly #loop: WorkLoop;

  constructor(options: InboxWorkerOptions) {
    this.#o = { concurrency: 4, pollIntervalMs: 1000, maxAttempts: 5, onHandled: () => undefined, ...options };
    this.#loop = new WorkLoop({ round: async () => ((await this.runOnce()) > 0 ? 0 : Number.POSITIVE_INFINITY), idleMs: this.#o.pollIntervalMs, logger: this.#o.logger, failure: 'inbox worker round failed' });
  }

  start(): void {
    this.#loop.start();
  }

  /** A new update was stored: look now rather than at the next poll. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops taking updates; waits up to `timeoutMs` for those being handled. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.#loop.stop(timeoutMs);
  }

  /** One round: the oldest waiting chats, each worked through in order until it is empty or an update fails. */
  async runOnce(): Promise<number> {
    const chats = await this.#o.db.inboundUpdate.groupBy({
      by: ['channel', 'chatId'], where: { handledAt: null }, _min: { id: true }, orderBy: { _min: { id: 'asc' } }, take: this.#o.concurrency * 4,
    });
    const now = this.#o.clock.now().getTime();
    const ready = chats.filter((c) => (this.#notBefore.get(c._min.id ?? 0) ?? 0) <= now).slice(0, this.#o.concurrency);
    const counts = await Promise.all(ready.map((chat) => this.#drainChat(chat.channel, chat.chatId)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async #drainChat(channel: InboxRow['channel'], chatId: string): Promise<number> {
    let handled = 0;
    while (!this.#loop.stopping) {
      const row = await this.#o.db.inboundUpdate.findFirst({ where: { channel, chatId, handledAt: null }, orderBy: { id: 'asc' } });
      if (!row || (this.#notBefore.get(row.id) ?? 0) > this.#o.clock.now().getTime()) return handled;
      try {
        await this.#o.handle(row);
        this.#o.onHandled();
        this.#notBefore.delete(row.id);
        handled += 1;
      } catch (error) {
        await this.#failed(row, error);
        return handled;
      }
    }
    return handled;
  }

  async #failed(row: InboxRow, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const now = this.#o.clock.now();
    this.#o.logger.error({ err: error, updateId: row.updateId, channel: row.channel, attempts }, 'inbound update failed');
    if (attempts < this.#o.maxAttempts) {
      await this.#o.db.inboundUpdate.update({ where: { id: row.id }, data: { attempts, lastError: message } });
      this.#notBefore.set(row.id, now.getTime() + RETRY_BASE_MS * 2 ** (attempts - 1));
      return;
    }
    this.#notBefore.delete(row.id);
    await this.#o.db.$transaction(async (tx) => {
      await tx.inboundUpdate.update({ where: { id: row.id }, data: { attempts, lastError: message, handledAt: now } });
      await raiseAlert(tx, { storeId: this.#o.alertStoreId, kind: 'inbound_failed', message: `${row.channel} update ${row.updateId} from chat ${row.chatId} could not be handled after ${attempts} attempts: ${message}`, now });
    });
  }
}
