import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinTransaction } from '../../../core/db/join-transaction.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.ts';

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.close();
});

const group = (name: string) => ({ data: { name } });

describe('joinTransaction', () => {
  it('commits what joined with the outer transaction, and a failed inner part undoes only itself', async () => {
    const db = database.db;
    await db.$transaction(async (tx) => {
      const joined = joinTransaction(tx);
      await joined.$transaction(async (inner) => inner.dealerGroup.create(group('kept')));
      await expect(joined.$transaction(async (inner) => {
        await inner.dealerGroup.create(group('undone'));
        throw new Error('refused');
      })).rejects.toThrow('refused');
      await tx.dealerGroup.create(group('outer'));
    });
    expect((await db.dealerGroup.findMany({ orderBy: { name: 'asc' } })).map((g) => g.name)).toEqual(['kept', 'outer']);
  });

  it('rolls everything back when the outer transaction fails', async () => {
    const db = database.db;
    await expect(db.$transaction(async (tx) => {
      await joinTransaction(tx).$transaction(async (inner) => inner.dealerGroup.create(group('joined')));
      throw new Error('crash before commit');
    })).rejects.toThrow('crash before commit');
    expect(await db.dealerGroup.count()).toBe(0);
  });
});
