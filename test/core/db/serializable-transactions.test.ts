import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../../core/db/generated/client.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { SERIALIZATION_ATTEMPTS, serializableTransactions } from '../../../core/db/serializable-transactions.ts';

const writeConflict = () => new Prisma.PrismaClientKnownRequestError('Transaction failed due to a write conflict or a deadlock', { code: 'P2034', clientVersion: '7.10.0' });
const commitConflict = () => new DriverAdapterError({ kind: 'TransactionWriteConflict', originalCode: '40001', originalMessage: 'could not serialize access' });
const rawQueryConflict = () => new Prisma.PrismaClientKnownRequestError('Raw query failed. Code: `40001`', { code: 'P2010', clientVersion: '7.10.0', meta: { driverAdapterError: commitConflict() } });
const uniqueViolation = () => new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: '7.10.0' });

/** A client whose transactions fail with `failures` in turn, then run the body. */
function clientFailing(failures: Error[]): { db: Database; runs: () => number } {
  let runs = 0;
  const db = {
    $transaction: async (body: unknown) => {
      runs += 1;
      const failure = failures[runs - 1];
      if (failure) throw failure;
      return typeof body === 'function' ? (body as (tx: unknown) => unknown)('tx') : body;
    },
    marker: 'passes through',
  };
  return { db: db as unknown as Database, runs: () => runs };
}

const noPause = () => Promise.resolve();

describe('serializableTransactions', () => {
  it('runs a transaction that lost a race again, until it commits, within the attempt budget', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(writeConflict, commitConflict, rawQueryConflict), { maxLength: SERIALIZATION_ATTEMPTS - 1 }), async (makers) => {
      const { db, runs } = clientFailing(makers.map((make) => make()));
      await expect(serializableTransactions(db, noPause).$transaction(async (tx) => `done in ${String(tx)}`)).resolves.toBe('done in tx');
      expect(runs()).toBe(makers.length + 1);
    }));
  });

  it('gives up after the last attempt with the database\'s error', async () => {
    const { db, runs } = clientFailing(Array.from({ length: SERIALIZATION_ATTEMPTS + 5 }, writeConflict));
    await expect(serializableTransactions(db, noPause).$transaction(async () => 'never')).rejects.toMatchObject({ code: 'P2034' });
    expect(runs()).toBe(SERIALIZATION_ATTEMPTS);
  });

  it('never runs again what failed for another reason, nor a batch', async () => {
    const rawFailure = new Prisma.PrismaClientKnownRequestError('Raw query failed. Code: `42601`', { code: 'P2010', clientVersion: '7.10.0', meta: { driverAdapterError: new DriverAdapterError({ kind: 'postgres', code: '42601', severity: 'ERROR', message: 'syntax error', detail: undefined, column: undefined, hint: undefined }) } });
    const raw = clientFailing([rawFailure]);
    await expect(serializableTransactions(raw.db, noPause).$transaction(async () => 'never')).rejects.toBe(rawFailure);
    expect(raw.runs()).toBe(1);
    const other = clientFailing([uniqueViolation()]);
    await expect(serializableTransactions(other.db, noPause).$transaction(async () => 'never')).rejects.toMatchObject({ code: 'P2002' });
    expect(other.runs()).toBe(1);
    const batch = clientFailing([writeConflict()]);
    await expect(serializableTransactions(batch.db, noPause).$transaction([])).rejects.toMatchObject({ code: 'P2034' });
    expect(batch.runs()).toBe(1);
  });

  it('leaves everything but $transaction as it was', () => {
    const { db } = clientFailing([]);
    expect((serializableTransactions(db, noPause) as unknown as { marker: string }).marker).toBe('passes through');
  });
});
