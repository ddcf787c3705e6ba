import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Prisma } from '../../../core/db/generated/client.ts';
import { joinTransaction } from '../../../core/db/join-transaction.ts';
import { asBigInt, asDate, execute, queryRows } from '../../../core/db/raw-sql.ts';
import { createTestDatabase, testDatabaseDialect, type TestDatabase } from '../../helpers/test-database.ts';

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.close();
});

const insertGroup = (id: string, name: string, at: Date) =>
  Prisma.sql`INSERT INTO "DealerGroup" ("id", "name", "createdAt") VALUES (${id}, ${name}, ${at}) RETURNING "id", "createdAt"`;
const names = async () => (await database.db.dealerGroup.findMany({ orderBy: { name: 'asc' } })).map((g) => g.name);

/** A promise and its resolver, to hold a transaction open while something else is tried. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

describe('raw statements (queryRows, execute)', () => {
  it('run inside the caller\'s transaction: they see its writes, and its rollback undoes theirs', async () => {
    const db = database.db;
    const at = new Date('2026-03-01T08:00:00.123Z');
    await expect(db.$transaction(async (tx) => {
      await tx.dealerGroup.create({ data: { id: 'g-prisma', name: '一号集团', createdAt: at } });
      await queryRows(tx, insertGroup('g-raw', '二号集团', at));
      expect(Number((await queryRows(tx, Prisma.sql`SELECT COUNT(*) AS "n" FROM "DealerGroup"`))[0]?.n)).toBe(2);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await names()).toEqual([]);

    await db.$transaction(async (tx) => {
      await queryRows(tx, insertGroup('g-raw', '二号集团', at));
      // A joined view of the transaction (joinTransaction) is the same transaction.
      await joinTransaction(tx).$transaction(async (inner) => execute(inner, Prisma.sql`UPDATE "DealerGroup" SET "name" = ${'三号集团'} WHERE "id" = ${'g-raw'}`));
    });
    expect(await names()).toEqual(['三号集团']);
  });

  it('outside a transaction wait for the one open, and see only what it committed', async () => {
    const db = database.db;
    const held = gate();
    const inTransaction = gate();
    const transaction = db.$transaction(async (tx) => {
      await tx.dealerGroup.create({ data: { id: 'g-held', name: '未提交', createdAt: new Date() } });
      inTransaction.open();
      await held.opened;
      throw new Error('roll back');
    }, { timeout: 20_000 });
    await inTransaction.opened;
    let answered = false;
    const count = queryRows(db, Prisma.sql`SELECT COUNT(*) AS "n" FROM "DealerGroup"`).then((rows) => {
      answered = true;
      return Number(rows[0]?.n);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (testDatabaseDialect() === 'sqlite') expect(answered).toBe(false); // one connection: it waits for the transaction
    held.open();
    await expect(transaction).rejects.toThrow('roll back');
    expect(await count).toBe(0);
    expect(await execute(db, Prisma.sql`DELETE FROM "DealerGroup"`)).toBe(0);
  });

  it('bind dates as Prisma stores them, so raw and Prisma writes compare and read back alike', async () => {
    const db = database.db;
    const at = new Date('2026-03-01T08:00:00.123Z');
    await db.dealerGroup.create({ data: { id: 'g-prisma', name: '一号集团', createdAt: at } });
    const [written] = await queryRows(db, insertGroup('g-raw', '二号集团', at));
    expect(asDate(written?.createdAt)).toEqual(at);
    const same = await queryRows(db, Prisma.sql`SELECT "id" FROM "DealerGroup" WHERE "createdAt" = ${at} ORDER BY "id"`);
    expect(same.map((r) => r.id)).toEqual(['g-prisma', 'g-raw']);
    expect((await db.dealerGroup.findUniqueOrThrow({ where: { id: 'g-raw' } })).createdAt).toEqual(at);
  });

  if (testDatabaseDialect() === 'sqlite') {
    it('refuse a transaction client used after its transaction ended (SQLite)', async () => {
      const db = database.db;
      let leaked: Parameters<Parameters<typeof db.$transaction>[0]>[0] | undefined;
      await db.$transaction(async (tx) => {
        leaked = tx;
      });
      await expect(queryRows(leaked!, Prisma.sql`SELECT 1 AS "one"`)).rejects.toThrow('after its transaction ended');
    });
  }
});

describe('reading raw values', () => {
  it('reads dates in every form an engine gives them', () => {
    const at = new Date('2026-03-01T08:00:00.123Z');
    expect(asDate(at)).toEqual(at);
    expect(asDate('2026-03-01T08:00:00.123+00:00')).toEqual(at);
    expect(asDate(at.getTime())).toEqual(at);
    // SQLite's CURRENT_TIMESTAMP (a column default) is UTC without a zone, not local time.
    expect(asDate('2026-03-01 08:00:00')).toEqual(new Date('2026-03-01T08:00:00Z'));
    expect(() => asDate('yesterday')).toThrow('not a date');
    expect(() => asDate({})).toThrow('not a date');
  });

  it('reads whole numbers as BigInt, refusing what would lose digits', () => {
    expect(asBigInt(1_780_000_000_000_000)).toBe(1_780_000_000_000_000n);
    expect(asBigInt(12n)).toBe(12n);
    expect(asBigInt('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(() => asBigInt(2 ** 60)).toThrow('not a whole number');
    expect(() => asBigInt(1.5)).toThrow('not a whole number');
  });
});
