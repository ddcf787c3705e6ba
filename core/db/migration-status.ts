import { committedMigrations } from './migrator.ts';
import type { Database } from './open-database.ts';
import { sqlDialect } from './sql-dialect.ts';

/** The names of the migrations a database has applied, from Prisma's own table (same SQL on both engines). */
export const APPLIED_MIGRATIONS_SQL = 'SELECT "migration_name" AS "name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL';

/** The committed migrations `applied` lacks, in their order. */
export function notApplied(committed: readonly string[], applied: Iterable<string>): string[] {
  const done = new Set(applied);
  return committed.filter((name) => !done.has(name));
}

/**
 * The committed migrations the open database has not applied, read through the application's
 * client (the health check asks while running; start-up asks before opening, pending-migrations.ts).
 */
export async function unappliedMigrations(db: Database): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(APPLIED_MIGRATIONS_SQL);
  return notApplied(await committedMigrations(sqlDialect(db)), rows.map((r) => r.name));
}
