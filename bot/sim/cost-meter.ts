import { performance } from 'node:perf_hooks';
import type { Database } from '../../core/db/open-database.ts';

/** Where wall-clock time goes: the database (Prisma and SQLite), the fakes (channels, simulated people), the rest is core logic. */
export type CostPart = 'database' | 'fakes';

/**
 * Measures wall-clock time two ways: per phase (set-up, the run's activities, the checks) and
 * split by part. A part's time is exclusive: a fake that writes to the database is charged its
 * own time and the database its statements. The simulation awaits one thing at a time, so the
 * split is exact up to the few sends a dispatcher batch makes at once.
 */
export class CostMeter {
  readonly parts: Record<CostPart, number> = { database: 0, fakes: 0 };
  readonly phases = new Map<string, number>();
  readonly #stack: CostPart[] = [];
  readonly #cpuAtStart = process.cpuUsage();
  #mark = 0;
  #databaseCalls = 0;

  get databaseCalls(): number {
    return this.#databaseCalls;
  }

  /** Processor time this process used since the meter was made (ms): on a shared machine a steadier figure than wall-clock time. */
  cpuMs(): number {
    const { user, system } = process.cpuUsage(this.#cpuAtStart);
    return (user + system) / 1000;
  }

  /** Runs `work`, charging its time (less that of parts nested in it) to `part`. */
  async part<T>(part: CostPart, work: () => Promise<T>): Promise<T> {
    this.#switch();
    this.#stack.push(part);
    try {
      return await work();
    } finally {
      this.#switch();
      this.#stack.pop();
    }
  }

  /** Runs `work` and adds its wall-clock time to the phase `name`. */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.phases.set(name, (this.phases.get(name) ?? 0) + performance.now() - start);
    }
  }

  /** The database client with every statement timed (Prisma's work and SQLite's together). */
  timedDatabase(db: Database): Database {
    const timed = <T>(work: () => Promise<T>): Promise<T> => {
      this.#databaseCalls += 1;
      return this.part('database', work);
    };
    return db.$extends({ query: { $allOperations: ({ args, query }) => timed(() => query(args)) } }) as unknown as Database;
  }

  #switch(): void {
    const now = performance.now();
    const top = this.#stack.at(-1);
    if (top) this.parts[top] += now - this.#mark;
    this.#mark = now;
  }
}
