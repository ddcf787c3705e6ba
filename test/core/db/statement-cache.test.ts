import type BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { ArgType, SqlQuery } from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import { cacheStatements } from '../../../core/db/statement-cache.ts';

const text: ArgType = { scalarType: 'string', arity: 'scalar' };
const int: ArgType = { scalarType: 'int', arity: 'scalar' };
const query = (sql: string, args: unknown[] = [], argTypes: ArgType[] = []): SqlQuery => ({ sql, args, argTypes });

/** Prisma's better-sqlite3 adapter on a fresh in-memory database, counting the statements SQLite compiles. */
async function countingConnection() {
  const connection = await new PrismaBetterSqlite3({ url: ':memory:' }).connect();
  const client = (connection as unknown as { client: BetterSqlite3.Database }).client;
  const compiled: string[] = [];
  const original = client.prepare.bind(client);
  client.prepare = ((sql: string) => {
    compiled.push(sql);
    return original(sql);
  }) as BetterSqlite3.Database['prepare'];
  cacheStatements(connection);
  return { connection, compiled };
}

describe('the statement cache on Prisma\'s better-sqlite3 adapter', () => {
  it('compiles each statement once and binds it anew for every call, reads and writes alike', async () => {
    const { connection, compiled } = await countingConnection();
    await connection.executeRaw(query('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" TEXT)'));
    for (let id = 1; id <= 3; id += 1) await connection.executeRaw(query('INSERT INTO "t" VALUES (?, ?)', [id, `客户${id}`], [int, text]));
    const select = query('SELECT "name" FROM "t" WHERE "id" >= ? ORDER BY "id"', [2], [int]);
    expect((await connection.queryRaw(select)).rows).toEqual([['客户2'], ['客户3']]);
    expect((await connection.queryRaw({ ...select, args: [3] })).rows).toEqual([['客户3']]);
    const returning = query('UPDATE "t" SET "name" = ? WHERE "id" = ? RETURNING "id"', ['改名', 1], [text, int]);
    expect((await connection.queryRaw(returning)).rows).toEqual([[1]]);
    expect((await connection.queryRaw({ ...returning, args: ['再改', 9] })).rows).toEqual([]);
    expect(compiled).toHaveLength(4); // create, insert, select, update
    await connection.dispose();
  });

  it('runs a statement that returns nothing through queryRaw as the adapter does', async () => {
    const { connection } = await countingConnection();
    await connection.executeRaw(query('CREATE TABLE "t" ("id" INTEGER)'));
    expect((await connection.queryRaw(query('INSERT INTO "t" VALUES (?)', [1], [int]))).rows).toEqual([]);
    expect((await connection.queryRaw(query('INSERT INTO "t" VALUES (?)', [2], [int]))).rows).toEqual([]);
    expect((await connection.queryRaw(query('SELECT COUNT(*) FROM "t"'))).rows).toEqual([[2]]);
    await connection.dispose();
  });
});
