import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteFilePath } from './database-url.ts';
import { APPLIED_MIGRATIONS_SQL, notApplied } from './migration-status.ts';
import { committedMigrations } from './migrator.ts';

/**
 * The committed migrations the SQLite database has not applied (all of them for a new file),
 * read without Prisma's schema engine: the engine locks the database exclusively, which it
 * cannot while another instance has it open, so a start with nothing to apply does not use it.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const committed = await committedMigrations('sqlite');
  const file = sqliteFilePath(databaseUrl);
  if (file === ':memory:' || !existsSync(file)) return committed;
  const db = new BetterSqlite3(file, { readonly: true, timeout: 5_000 });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return committed;
    const rows = db.prepare(APPLIED_MIGRATIONS_SQL).all() as { name: string }[];
    return notApplied(committed, rows.map((r) => r.name));
  } finally {
    db.close();
  }
}
