import type { Logger } from '../core/logger.ts';

/**
 * Ordered shutdown on SIGTERM/SIGINT: the steps run in the reverse order they were added
 * (stop intake first, close the database last), within an overall time bound. A second signal
 * exits at once.
 */
export class Shutdown {
  readonly #steps: { name: string; run: () => Promise<void> }[] = [];
  #started = false;

  constructor(
    private readonly logger: Logger,
    private readonly boundMs = 15_000,
  ) {}

  /** Adds a step; steps run last-added first. */
  add(name: string, run: () => Promise<void>): void {
    this.#steps.push({ name, run });
  }

  /** Registers the signal handlers. Call once, early in start-up. */
  install(): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.#started) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      void this.run(signal).then((code) => process.exit(code));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  /** Runs the steps; resolves with the exit code (0, or 1 if a step failed or the bound passed). */
  async run(reason: string): Promise<number> {
    this.#started = true;
    this.logger.info({ reason }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        this.logger.error({ boundMs: this.boundMs }, 'shutdown took too long; exiting');
        resolve(1);
      }, this.boundMs);
    });
    const steps = (async () => {
      let code = 0;
      for (const step of [...this.#steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          code = 1;
          this.logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
      return code;
    })();
    const code = await Promise.race([steps, timeout]);
    clearTimeout(timer);
    return code;
  }
}
