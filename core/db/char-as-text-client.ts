import pg from 'pg';

/** PostgreSQL's one-byte `"char"` type (e.g. `pg_constraint.contype`). */
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/**
 * A `pg.Client` that reports columns of type `"char"` as `text`. Prisma's schema engine reads
 * the live schema through the catalog (`pg_constraint.contype` is a `"char"`), and
 * @prisma/adapter-pg 7.10 cannot map that type ("Column type 'char' could not be
 * deserialized"). The values are plain one-letter strings either way. Only the migrator needs
 * it; the application's tables have no such column.
 */
export class CharAsTextClient extends pg.Client {}

function asText(result: QueryResultLike | undefined): void {
  for (const field of result?.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
}

// pg's `query` answers through a promise or, as pg.Pool calls it, a trailing callback.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
CharAsTextClient.prototype.query = function charAsText(this: pg.Client, ...args: unknown[]): unknown {
  const last = args.at(-1);
  if (typeof last === 'function') {
    const callback = last as (error: Error | null, result?: QueryResultLike) => void;
    args[args.length - 1] = (error: Error | null, result?: QueryResultLike) => {
      asText(result);
      callback(error, result);
    };
  }
  const result = query.apply(this, args);
  return result instanceof Promise ? result.then((value: QueryResultLike) => (asText(value), value)) : result;
} as typeof pg.Client.prototype.query;
