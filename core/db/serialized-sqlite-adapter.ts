import { Mutex } from 'async-mutex';
import { cacheStatements, type PreparedStatements } from './statement-cache.ts';
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
 * - Compiled statements are kept (statement-cache.ts), and the hottest statements can run on
 *   them directly (`direct`, used by `core/db/raw-sql.ts`) under the same two rules.
 */
export function serializedSqliteAdapter(inner: SqlMigrationAwareDriverAdapterFactory): SerializedSqliteAdapter {
  let current: Serialized | null = null;
  const connected = (): Serialized => {
    if (!current) throw new Error('The SQLite connection is not open (connect the client first)');
    return current;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const connection = await inner.connect();
      const serialized = serialize(connection, cacheStatements(connection), () => {
        if (current === serialized) current = null;
      });
      current = serialized;
      return serialized.adapter;
    },
    connectToShadowDb: async () => serialize(await inner.connectToShadowDb(), null, () => {}).adapter,
    direct: {
      get connected() {
        return current !== null;
      },
      exclusive: (work) => connected().exclusive(work),
      inTransaction: (work) => connected().inTransaction(work),
    },
  };
}

/** Statements run straight on the connection's compiled statements, under the rules Prisma's queries follow here. */
export interface DirectSqlite {
  /** Whether the client has its connection open (Prisma connects on the first query). */
  readonly connected: boolean;
  /** Runs `work` on the connection once no transaction is open (the rule for a statement outside a transaction). */
  exclusive<T>(work: (statements: PreparedStatements) => T): Promise<T>;
  /** Runs `work` inside the transaction open now; only the work of that transaction may call it. */
  inTransaction<T>(work: (statements: PreparedStatements) => T): T;
}

export type SerializedSqliteAdapter = SqlMigrationAwareDriverAdapterFactory & { direct: DirectSqlite };

interface Serialized {
  adapter: SqlDriverAdapter;
  exclusive<T>(work: (statements: PreparedStatements) => T): Promise<T>;
  inTransaction<T>(work: (statements: PreparedStatements) => T): T;
}

function serialize(connection: SqlDriverAdapter, statements: PreparedStatements | null, disposed: () => void): Serialized {
  const mutex = new Mutex();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => mutex.runExclusive(work);
  let inTransaction = false;
  const direct = (): PreparedStatements => {
    if (!statements) throw new Error('no direct statements on this connection');
    return statements;
  };
  const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

  const adapter: SqlDriverAdapter = {
    provider: connection.provider,
    adapterName: connection.adapterName,
    queryRaw: (query: SqlQuery): Promise<SqlResultSet> => exclusive(() => connection.queryRaw(query)),
    executeRaw: (query: SqlQuery): Promise<number> => exclusive(() => connection.executeRaw(query)),
    executeScript: (script: string): Promise<void> => exclusive(() => connection.executeScript(script)),
    dispose: () => exclusive(async () => {
      disposed();
      await connection.dispose();
    }),
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
      inTransaction = true;
      let open = true;
      const end = async (rollBack: boolean): Promise<void> => {
        if (!open) return;
        open = false;
        inTransaction = false;
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
  return {
    adapter,
    // The work is synchronous (better-sqlite3), so with the lock free nothing can come between: it runs at once.
    exclusive: async (work) => (mutex.isLocked() ? mutex.runExclusive(() => work(direct())) : work(direct())),
    inTransaction: (work) => {
      if (!inTransaction) throw new Error('a transaction client was used after its transaction ended');
      return work(direct());
    },
  };
}
