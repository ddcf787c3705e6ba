import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../core/db/open-database.ts';

/** A real, migrated SQLite database for one test file. */
export interface TestDatabase {
  db: Database;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Copies the run's migrated template into a fresh file and opens it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-db-'));
  const file = path.join(dir, 'test.db');
  copyFileSync(inject('templateDatabase'), file);
  const url = `file:${file}`;
  const db = await openDatabase(url);
  return {
    db,
    url,
    dir,
    async close() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
