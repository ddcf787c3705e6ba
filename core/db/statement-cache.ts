import type BetterSqlite3 from 'better-sqlite3';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';

/** Compiled statements kept per connection; Prisma's queries repeat, an IN list of each length is one more. */
const MAX_STATEMENTS = 500;

/**
 * Keeps better-sqlite3's compiled statements. Prisma's better-sqlite3 adapter (7.10) calls
 * `client.prepare(sql).bind(args)` for every query, so SQLite parses and plans each statement
 * again every time — the largest single cost of a dispatch batch. This gives the adapter a
 * `prepare` that returns the statement compiled before for the same SQL (least recently used
 * dropped beyond MAX_STATEMENTS), bound per call instead of once (`bind` may be called only once
 * on a better-sqlite3 statement). It relies on the adapter's `client` field and the few
 * statement methods it calls (`reader`, `bind`, `run`, `columns`, `raw().all`); the test
 * `statement-cache.test.ts` fails if a Prisma upgrade changes them.
 */
export function cacheStatements(connection: SqlDriverAdapter): void {
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
}
