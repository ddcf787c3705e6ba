import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../core/db/migrator.ts';
import { createDatabase, dropDatabase, testPostgresUrl } from '../../core/db/postgres-databases.ts';
import { testDialect } from './test-database-kind.ts';

/**
 * Migrates one template database for the whole run; each test file copies it (fast) instead
 * of migrating its own. SQLite: a file, copied. PostgreSQL: a database on the test server,
 * copied with CREATE DATABASE … TEMPLATE; every database of the run is named
 * `showroom_<run>_…` and the ones a crashed test file left behind are dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dialect = testDialect();
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-test-'));
    const template = path.join(dir, 'template.db');
    await applyMigrations(`file:${template}`);
    project.provide('testDatabase', { dialect, template, prefix: '' });
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const server = testPostgresUrl(process.env);
  const prefix = `showroom_${randomBytes(4).toString('hex')}_`;
  const template = `${prefix}template`;
  await applyMigrations(await createDatabase(server, template));
  project.provide('testDatabase', { dialect, template, prefix });
  return async () => {
    for (const name of await databasesNamed(server, prefix)) await dropDatabase(server, name);
  };
}

async function databasesNamed(server: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** SQLite: `template` is the migrated file. PostgreSQL: the template database's name; every database of the run starts with `prefix`. */
    testDatabase: { dialect: 'sqlite' | 'postgresql'; template: string; prefix: string };
  }
}
