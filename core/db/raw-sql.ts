import type { Prisma } from './generated/client.ts';
import type { Database, DatabaseTx } from './open-database.ts';
import type { DirectSqlite } from './serialized-sqlite-adapter.ts';
import type { PreparedStatements, SqliteValue } from './statement-cache.ts';

/** Where `openDatabase` keeps a SQLite client's direct statements; a transaction client reads through to it. */
const DIRECT = Symbol('showroom.directSqlite');
/**
 * Prisma's mark of a transaction client (`tx` inside `$transaction`), read by its own runtime;
 * `raw-sql.test.ts` fails if a Prisma upgrade renames it.
 */
const TRANSACTION_SCOPE = Symbol.for('prisma.client.transaction.scope_context');

/** Lets `queryRows`/`execute` run this SQLite client's statements directly (see `DirectSqlite`). */
export function attachDirectSqlite(db: Database, direct: DirectSqlite): void {
  Object.defineProperty(db, DIRECT, { value: direct });
}

/**
 * The rows of a raw statement (a SELECT, or a write with RETURNING), for the few hottest
 * statements. On SQLite it runs straight on better-sqlite3's compiled statement (no Prisma
 * query pipeline: about a hundredth of the cost), waiting for an open transaction as Prisma's
 * queries do, or inside the caller's transaction when `db` is a transaction client; elsewhere
 * through `$queryRaw`. Values come as the engine keeps them (on SQLite a date is text, a
 * BigInt a number): read them with `asDate`, `asBigInt` and `Number`.
 */
export async function queryRows(db: Database | DatabaseTx, query: Prisma.Sql): Promise<Record<string, unknown>[]> {
  const direct = directOf(db);
  if (!direct) return db.$queryRaw<Record<string, unknown>[]>(query);
  const args = query.values.map(sqliteValue);
  return onConnection(db, direct, (statements) => statements.rows(query.sql, args));
}

/** Runs a raw statement that returns no rows, as `queryRows` does; the number of rows it changed. */
export async function execute(db: Database | DatabaseTx, query: Prisma.Sql): Promise<number> {
  const direct = directOf(db);
  if (!direct) return db.$executeRaw(query);
  const args = query.values.map(sqliteValue);
  return onConnection(db, direct, (statements) => statements.run(query.sql, args));
}

function directOf(db: Database | DatabaseTx): DirectSqlite | undefined {
  return (db as unknown as { [DIRECT]?: DirectSqlite })[DIRECT];
}

async function onConnection<T>(db: Database | DatabaseTx, direct: DirectSqlite, work: (statements: PreparedStatements) => T): Promise<T> {
  if (TRANSACTION_SCOPE in db) return direct.inTransaction(work);
  if (!direct.connected) await (db as Database).$connect();
  return direct.exclusive(work);
}

/** A value as Prisma's better-sqlite3 adapter binds it (dates as ISO text with "+00:00", the format every stored date has). */
function sqliteValue(value: unknown): SqliteValue {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return null;
    default:
      if (value === null || Buffer.isBuffer(value)) return value;
      if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
      throw new Error(`cannot bind ${typeof value} ${JSON.stringify(value)} to a SQLite statement`);
  }
}

/** SQLite's `CURRENT_TIMESTAMP` text (a column default): UTC without a zone. */
const SQLITE_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;

/** A date column's value from `queryRows`: a Date (PostgreSQL), ISO text or `CURRENT_TIMESTAMP` text (SQLite), or epoch milliseconds. */
export function asDate(value: unknown): Date {
  const date = value instanceof Date ? value
    : typeof value === 'number' || typeof value === 'bigint' ? new Date(Number(value))
      : typeof value === 'string' ? new Date(SQLITE_TIMESTAMP.test(value) ? `${value.replace(' ', 'T')}Z` : value)
        : null;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`not a date: ${String(value)}`);
  return date;
}

/** A nullable date column's value from `queryRows`. */
export function asDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : asDate(value);
}

/** A BigInt column's value from `queryRows` (SQLite gives a number, PostgreSQL a BigInt). */
export function asBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new Error(`not a whole number: ${String(value)}`);
}
