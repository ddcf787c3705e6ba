import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { Prisma } from './generated/client.ts';
import type { Database } from './open-database.ts';

/** How often a transaction that lost a race is run again before its caller sees the error. */
export const SERIALIZATION_ATTEMPTS = 20;

/**
 * The PostgreSQL client's transaction options: SERIALIZABLE, as every SQLite transaction is.
 * Waiting for a free connection of the pool (10) may take a while under a burst of
 * registrations: they queue rather than fail.
 */
export const POSTGRES_TRANSACTIONS = {
  isolationLevel: Prisma.TransactionIsolationLevel.Serializable,
  maxWait: 10_000,
  timeout: 10_000,
} as const;

/**
 * PostgreSQL aborted the transaction to keep it serializable (40001) or to break a deadlock
 * (40P01): Prisma's P2034 from a model query, P2010 carrying the driver's error from a raw
 * query, or the driver adapter's own error from COMMIT.
 */
export function isSerializationFailure(error: unknown): boolean {
  const conflict = (e: unknown) => e instanceof Error && isDriverAdapterError(e) && e.cause.kind === 'TransactionWriteConflict';
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return conflict(error);
  return error.code === 'P2034' || conflict((error.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
}

/**
 * PostgreSQL: runs an interactive transaction (`$transaction(async (tx) => …)`) again when
 * PostgreSQL aborts it for losing a race to another transaction, up to SERIALIZATION_ATTEMPTS
 * times, after a short random pause.
 *
 * The application's transactions are written as SQLite runs them: one writer at a time, so
 * "read, then write what was read" is safe (the registration finds a customer by phone, then
 * creates one; a rate limit counts, then inserts). PostgreSQL's default, READ COMMITTED, would
 * let two such transactions interleave (two customers, a limit passed); at SERIALIZABLE
 * (`POSTGRES_TRANSACTIONS`) one of them fails instead, and its retry sees the other's commit.
 * So a transaction body must be safe to run twice: database work only, no network call (the
 * rule already).
 */
export function serializableTransactions(db: Database, pause: (ms: number) => Promise<void> = sleep): Database {
  const transaction = db.$transaction.bind(db) as (arg: unknown, options?: object) => Promise<unknown>;
  const retried = async (arg: unknown, options?: object): Promise<unknown> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await transaction(arg, options);
      } catch (error) {
        // A batch (`$transaction([...])`) cannot be run again: its queries are spent.
        if (typeof arg !== 'function' || !isSerializationFailure(error) || attempt >= SERIALIZATION_ATTEMPTS) throw error;
        await pause(Math.random() * Math.min(250, 5 * 2 ** attempt));
      }
    }
  };
  return new Proxy(db, { get: (target, prop, receiver) => (prop === '$transaction' ? retried : Reflect.get(target, prop, receiver)) });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
