import type { Logger } from '../logger.ts';

/**
 * Runs `round` again and again in the background. Each round says how long to wait before the
 * next (0: straight on); the wait is cut short by `idleMs` and by a wake-up. A failing round is
 * logged and the loop goes on after `idleMs`. Shared by the outbox dispatcher and the inbox worker.
 */
export class WorkLoop {
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  #woken = false;

  constructor(private readonly o: { round: () => Promise<number>; idleMs: number; logger: Logger; failure: string }) {}

  get stopping(): boolean {
    return this.#stopping;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Runs the next round now rather than after the wait (a wake-up during a round runs another one straight after it). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops starting rounds; waits up to `timeoutMs` for the one in progress. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    if (!this.#loop) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#loop, new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      let waitMs = this.o.idleMs;
      try {
        waitMs = Math.min(this.o.idleMs, await this.o.round());
      } catch (error) {
        this.o.logger.error({ err: error }, this.o.failure);
      }
      if (waitMs > 0 && !this.#woken && !this.#stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.#wake = () => { clearTimeout(timer); resolve(); };
        });
        this.#wake = null;
      }
    }
  }
}
