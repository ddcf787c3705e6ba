import type { Clock } from '../../../core/clock.ts';

/** Chats remembered at most; beyond it, the ones nobody watches any more are forgotten first. */
const MAX_CHATS = 20_000;

/**
 * Which web chats someone is watching: a chat page polls for new messages every few seconds
 * (WEB_CHAT_POLL_MS), so a chat that polled lately is open in a browser, and one that did not is
 * closed (or its phone asleep). Kept in memory: after a restart every chat counts as unwatched
 * until its page polls again, which only means a message may go by SMS rather than to a page
 * nobody would see.
 */
export class WebChatPresence {
  readonly #watchedUntil = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** The chat's page polled (or sent a message); it counts as watched for `forMs`. */
  seen(chatId: string, forMs: number): void {
    const now = this.clock.now().getTime();
    if (this.#watchedUntil.size >= MAX_CHATS) {
      for (const [chat, until] of this.#watchedUntil) if (until <= now) this.#watchedUntil.delete(chat);
    }
    if (this.#watchedUntil.size < MAX_CHATS || this.#watchedUntil.has(chatId)) this.#watchedUntil.set(chatId, now + forMs);
  }

  /** Whether someone watches the chat at `now`. */
  watched(chatId: string, now: Date): boolean {
    return (this.#watchedUntil.get(chatId) ?? 0) > now.getTime();
  }
}
