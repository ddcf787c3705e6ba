import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { Dialect } from '../../core/db/database-url.ts';
import { openDatabase, type Database } from '../../core/db/open-database.ts';
import { createEmptyDatabase, takeMigratedDatabase } from './postgres-test-databases.ts';

/** A real, migrated database for one test (SQLite or PostgreSQL, see TEST_DATABASE). */
export interface TestDatabase {
  db: Database;
  url: string;
  /** A temporary folder of the test's own, removed on close. */
  dir: string;
  close(): Promise<void>;
}

/** A database of the run's engine, not opened, and how to give it back. */
export interface ScratchDatabase {
  url: string;
  dispose(): Promise<void>;
}

/** The engine this test run uses (TEST_DATABASE). */
export function testDatabaseDialect(): Dialect {
  return inject('testDatabase').dialect;
}

/**
 * A database of the run's engine: migrated (a copy of the run's template) or, with `empty`,
 * with nothing in it (for tests of migrating and starting up). SQLite: a file in `dir`.
 */
export async function scratchDatabase(dir: string, options: { empty?: boolean } = {}): Promise<ScratchDatabase> {
  const { dialect, template, prefix } = inject('testDatabase');
  if (dialect === 'sqlite') {
    const file = path.join(dir, `${randomBytes(4).toString('hex')}.db`);
    if (!options.empty) copyFileSync(template, file);
    return { url: `file:${file}`, dispose: async () => rmSync(file, { force: true }) };
  }
  if (options.empty) {
    const empty = await createEmptyDatabase(prefix);
    return { url: empty.url, dispose: empty.remove };
  }
  const migrated = await takeMigratedDatabase(template, prefix);
  return { url: migrated.url, dispose: async () => migrated.release() };
}

/** A fresh copy of the run's migrated template, opened. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-db-'));
  const database = await scratchDatabase(dir);
  const db = await openDatabase(database.url);
  return {
    db,
    url: database.url,
    dir,
    async close() {
      await db.$disconnect();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
