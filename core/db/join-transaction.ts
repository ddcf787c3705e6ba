import type { Database, DatabaseTx } from './open-database.ts';

let savepoints = 0;

/**
 * A `Database` view of a transaction that is already open: its `$transaction(fn)` runs `fn` in
 * that transaction, inside a SAVEPOINT, so code written to open its own transactions (a staff
 * command) can join a caller's unit of work (the inbox row it answers) and commit with it —
 * while a failure inside still undoes only its own writes, as its own transaction would.
 * Only the interactive form `$transaction(fn)` is supported.
 */
export function joinTransaction(tx: DatabaseTx): Database {
  const nested = async (fn: unknown) => {
    if (typeof fn !== 'function') throw new Error('joinTransaction supports only $transaction(async (tx) => …)');
    const name = `joined_${(savepoints += 1)}`;
    await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
    try {
      const result: unknown = await (fn as (t: DatabaseTx) => Promise<unknown>)(tx);
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
      throw error;
    }
  };
  return new Proxy(tx, { get: (target, prop, receiver) => (prop === '$transaction' ? nested : Reflect.get(target, prop, receiver)) }) as unknown as Database;
}
