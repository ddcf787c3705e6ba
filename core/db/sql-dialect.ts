import type { Dialect } from './database-url.ts';
import type { Database, DatabaseTx } from './open-database.ts';

/**
 * Which engine a client (or a transaction of one) talks to, for the few statements written
 * per dialect. Prisma keeps the schema's provider on the client (`_activeProvider`; a
 * transaction client reads through to it); it has no public accessor.
 */
export function sqlDialect(db: Database | DatabaseTx): Dialect {
  const provider = (db as unknown as { _activeProvider?: unknown })._activeProvider;
  if (provider === 'sqlite' || provider === 'postgresql') return provider;
  throw new Error(`unsupported database provider: ${String(provider)}`);
}
