import type { Logger } from '../logger.ts';

/**
 * Runs `round` again and again in the background: straight on while it reports a full round,
 * otherwise after `idleMs` or a wake-up, whichever comes first. A failing round is logged and
 * the loop goes on. Shared by the outbox dispatcher and the inbox worker.
 */
export class WorkLoop {
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;

  constructor(private readonly o: { round: () => Promise<boolean>; idleMs: number; logger: Logger; failure: string }) {}

  get stopping(): boolean {
    return this.#stopping;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Runs the next round now rather than after the idle wait. */
  wake(): void {
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
      let full = false;
      try {
        full = await this.o.round();
      } catch (error) {
        this.o.logger.error({ err: error }, this.o.failure);
      }
      if (!full && !this.#stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.o.idleMs);
          this.#wake = () => { clearTimeout(timer); resolve(); };
        });
        this.#wake = null;
      }
    }
  }
}
