import { Mutex } from 'async-mutex';
import { cacheStatements } from './statement-cache.ts';
import type {
  IsolationLevel, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * Wraps Prisma's better-sqlite3 adapter so that one connection is used safely by one process:
 *
 * - Every statement waits for the open transaction, if any. The stock adapter runs a query
 *   issued outside a transaction on the same connection *inside* whatever transaction is open,
 *   so a rollback there would silently undo an acknowledged write.
 * - Transactions start with `BEGIN IMMEDIATE`, taking the write lock up front: a second process
 *   then waits (busy timeout) instead of failing half-way with SQLITE_BUSY on a lock upgrade.
 * - A transaction whose COMMIT failed is rolled back before the connection is released.
 * - Compiled statements are kept (statement-cache.ts).
 */
export function serializedSqliteAdapter(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const connection = await inner.connect();
      cacheStatements(connection);
      return serialize(connection);
    },
    connectToShadowDb: async () => serialize(await inner.connectToShadowDb()),
  };
}

function serialize(connection: SqlDriverAdapter): SqlDriverAdapter {
  const mutex = new Mutex();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => mutex.runExclusive(work);
  const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

  const adapter: SqlDriverAdapter = {
    provider: connection.provider,
    adapterName: connection.adapterName,
    queryRaw: (query: SqlQuery): Promise<SqlResultSet> => exclusive(() => connection.queryRaw(query)),
    executeRaw: (query: SqlQuery): Promise<number> => exclusive(() => connection.executeRaw(query)),
    executeScript: (script: string): Promise<void> => exclusive(() => connection.executeScript(script)),
    dispose: () => exclusive(() => connection.dispose()),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
        throw new Error(`SQLite transactions are always SERIALIZABLE (asked for ${isolationLevel})`);
      }
      const release = await mutex.acquire();
      try {
        await connection.executeRaw(statement('BEGIN IMMEDIATE'));
      } catch (error) {
        release();
        throw error;
      }
      let open = true;
      const end = async (rollBack: boolean): Promise<void> => {
        if (!open) return;
        open = false;
        // Prisma sends COMMIT/ROLLBACK itself and calls rollback() when its COMMIT failed, in
        // which case SQLite's transaction is still open: end it ("no transaction" is fine).
        if (rollBack) await connection.executeRaw(statement('ROLLBACK')).catch(() => undefined);
        release();
      };
      return {
        provider: connection.provider,
        adapterName: connection.adapterName,
        options: { usePhantomQuery: false },
        queryRaw: (query) => connection.queryRaw(query),
        executeRaw: (query) => connection.executeRaw(query),
        commit: () => end(false),
        rollback: () => end(true),
        createSavepoint: (name) => connection.executeRaw(statement(`SAVEPOINT ${name}`)).then(() => undefined),
        rollbackToSavepoint: (name) => connection.executeRaw(statement(`ROLLBACK TO ${name}`)).then(() => undefined),
        releaseSavepoint: (name) => connection.executeRaw(statement(`RELEASE SAVEPOINT ${name}`)).then(() => undefined),
      };
    },
  };
  if (connection.getConnectionInfo) adapter.getConnectionInfo = () => connection.getConnectionInfo!();
  return adapter;
}
