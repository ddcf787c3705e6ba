import type { Database } from '../../core/db/open-database.ts';
import { sqlDialect } from '../../core/db/sql-dialect.ts';

/**
 * Makes the database refuse every INSERT into `table` (only rows whose `kind` is `kind`, if
 * given) with "disk full", as a failing disk would, until the returned function is called:
 * to check that a unit of work fails as a whole. A trigger, written for the run's engine.
 */
export async function failInserts(db: Database, table: 'MessageIntent', kind?: string): Promise<() => Promise<void>> {
  if (kind !== undefined && !/^[a-z_]+$/.test(kind)) throw new Error(`failInserts: kind must be a plain word (got "${kind}")`);
  if (sqlDialect(db) === 'sqlite') {
    const when = kind === undefined ? '' : `WHEN NEW."kind" = '${kind}'`;
    await db.$executeRawUnsafe(`CREATE TRIGGER "fail_insert" BEFORE INSERT ON "${table}" ${when} BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    return async () => void (await db.$executeRawUnsafe('DROP TRIGGER "fail_insert"'));
  }
  const when = kind === undefined ? '' : `WHEN (NEW."kind" = '${kind}')`;
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION "fail_insert"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER "fail_insert" BEFORE INSERT ON "${table}" FOR EACH ROW ${when} EXECUTE FUNCTION "fail_insert"()`);
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER "fail_insert" ON "${table}"`);
    await db.$executeRawUnsafe('DROP FUNCTION "fail_insert"()');
  };
}
