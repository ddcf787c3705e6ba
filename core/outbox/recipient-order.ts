/** A message waiting its turn to one recipient: its place in line, and when it was told to come back. */
interface Waiting {
  seq: number;
  slotMs: number;
}

/**
 * Keeps the messages to one recipient in the order they became ready while a rate limit holds
 * them back. Without it a backlog larger than a batch would interleave: the second batch's first
 * message takes the next free token before the first batch's second one. In memory, per process,
 * like the rate limiter; a place whose message never came back (cancelled elsewhere, taken by
 * another process) lapses `staleMs` after its slot, so it cannot block the line for long.
 */
export class RecipientOrder {
  readonly #lines = new Map<string, Map<string, Waiting>>();
  #seq = 0;

  constructor(private readonly staleMs: number) {}

  /**
   * Where `intentId` stands for `recipient`: `first` when no one is ahead of it (it may take a
   * token now), else how many are ahead and the slot of the last of them.
   */
  standing(recipient: string, intentId: string, nowMs: number): { first: true } | { first: false; ahead: number; lastSlotMs: number } {
    const line = this.#line(recipient, nowMs);
    const mine = line.get(intentId)?.seq ?? Number.POSITIVE_INFINITY;
    const before = [...line.entries()].filter(([id, w]) => id !== intentId && w.seq < mine);
    if (before.length === 0) return { first: true };
    return { first: false, ahead: before.length, lastSlotMs: Math.max(...before.map(([, w]) => w.slotMs)) };
  }

  /** Holds its place in line (joining at the end the first time) until `slotMs`. */
  wait(recipient: string, intentId: string, slotMs: number): void {
    const line = this.#lines.get(recipient) ?? new Map<string, Waiting>();
    const seq = line.get(intentId)?.seq ?? (this.#seq += 1);
    line.set(intentId, { seq, slotMs });
    this.#lines.set(recipient, line);
  }

  /** Leaves the line: sent, or finished some other way. */
  leave(recipient: string, intentId: string): void {
    const line = this.#lines.get(recipient);
    line?.delete(intentId);
    if (line?.size === 0) this.#lines.delete(recipient);
  }

  /** Leaves whichever line it stood in (it expired, was cancelled, or is held for another reason). */
  forget(intentId: string): void {
    for (const [recipient, line] of this.#lines) {
      if (line.delete(intentId) && line.size === 0) this.#lines.delete(recipient);
    }
  }

  #line(recipient: string, nowMs: number): Map<string, Waiting> {
    const line = this.#lines.get(recipient) ?? new Map<string, Waiting>();
    for (const [id, waiting] of line) if (waiting.slotMs + this.staleMs < nowMs) line.delete(id);
    return line;
  }
}
