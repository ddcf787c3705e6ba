/** Something a simulated person (or the world) does at an instant. */
export interface SimEvent {
  at: number;
  /** Who it concerns, for the trail printed with a failing invariant (`customer:…`, `staff:…`). */
  actor: string;
  /** A short description, e.g. `says "九分"`. */
  what: string;
  run(): Promise<void>;
}

/**
 * The simulated future: events ordered by time, ties in the order they were scheduled (so a
 * seed gives one history). A binary heap: the simulation jumps from one event to the next.
 */
export class EventQueue {
  readonly #heap: { event: SimEvent; seq: number }[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(event: SimEvent): void {
    if (!Number.isFinite(event.at)) throw new Error(`Event "${event.what}" for ${event.actor} has no valid time`);
    const heap = this.#heap;
    heap.push({ event, seq: (this.#seq += 1) });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** When the next event happens; +∞ when none is left. */
  nextAt(): number {
    return this.#heap[0]?.event.at ?? Number.POSITIVE_INFINITY;
  }

  /** Takes the next event if it is due at or before `now`. */
  popDue(now: number): SimEvent | null {
    const heap = this.#heap;
    const top = heap[0];
    if (!top || top.event.at > now) return null;
    const last = heap.pop() as (typeof heap)[number];
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#before(left, smallest)) smallest = left;
        if (right < heap.length && this.#before(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.#swap(i, smallest);
        i = smallest;
      }
    }
    return top.event;
  }

  #before(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.event.at < y.event.at || (x.event.at === y.event.at && x.seq < y.seq);
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
  }
}
