import type BetterSqlite3 from 'better-sqlite3';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';

/** Compiled statements kept per connection; Prisma's queries repeat, an IN list of each length is one more. */
const MAX_STATEMENTS = 500;

/** A value better-sqlite3 binds as it is. */
export type SqliteValue = string | number | bigint | Buffer | null;

/**
 * The connection's compiled statements, for running a statement straight on better-sqlite3
 * (`core/db/raw-sql.ts`): no Prisma query pipeline, no parsing. Rows come as objects keyed by
 * column name, with SQLite's own values (text dates, numbers). The caller must own the
 * connection while it runs them (see `DirectSqlite`).
 */
export interface PreparedStatements {
  /** The rows of a statement that returns rows (a SELECT, or a write with RETURNING). */
  rows(sql: string, args: readonly SqliteValue[]): Record<string, unknown>[];
  /** Runs a statement that returns no rows; the number of rows it changed. */
  run(sql: string, args: readonly SqliteValue[]): number;
}

/**
 * Keeps better-sqlite3's compiled statements. Prisma's better-sqlite3 adapter (7.10) calls
 * `client.prepare(sql).bind(args)` for every query, so SQLite parses and plans each statement
 * again every time. This gives the adapter a `prepare` that returns the statement compiled
 * before for the same SQL (least recently used dropped beyond MAX_STATEMENTS), bound per call
 * instead of once (`bind` may be called only once on a better-sqlite3 statement), and returns
 * the same cache for statements run directly. It relies on the adapter's `client` field and the
 * few statement methods it calls (`reader`, `bind`, `run`, `columns`, `raw().all`); the test
 * `statement-cache.test.ts` fails if a Prisma upgrade changes them.
 */
export function cacheStatements(connection: SqlDriverAdapter): PreparedStatements {
  const client = (connection as unknown as { client?: BetterSqlite3.Database }).client;
  if (!client || typeof client.prepare !== 'function') {
    throw new Error('The better-sqlite3 adapter no longer exposes its client: update core/db/statement-cache.ts for this Prisma version');
  }
  const compile = client.prepare.bind(client);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string): BetterSqlite3.Statement => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: the map's order is the recency
    } else {
      statement = compile(sql);
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, statement);
    return statement;
  };
  const prepare = (sql: string) => {
    const statement = cached(sql);
    return {
      reader: statement.reader,
      bind: (args: unknown[]) => ({
        reader: statement.reader,
        run: () => statement.run(...args),
        columns: () => statement.columns(),
        raw: () => ({ all: () => statement.raw(true).all(...args) }),
      }),
    };
  };
  client.prepare = prepare as unknown as BetterSqlite3.Database['prepare'];
  return {
    // The adapter switches a statement to raw (array) rows before each use; objects are asked for here just as explicitly.
    rows: (sql, args) => cached(sql).raw(false).all(...args) as Record<string, unknown>[],
    run: (sql, args) => cached(sql).run(...args).changes,
  };
}
