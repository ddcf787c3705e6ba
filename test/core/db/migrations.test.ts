import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffDatabaseToSchema } from '../../../core/db/migrator.ts';
import { openDatabase } from '../../../core/db/open-database.ts';
import { renderPostgresSchema } from '../../../core/db/postgres-schema.ts';
import { schemaFiles } from '../../../core/db/schema-files.ts';
import { scratchDatabase, testDatabaseDialect } from '../../helpers/test-database.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-migrations-'));
const removals: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const remove of removals) await remove();
  rmSync(dir, { recursive: true, force: true });
});

async function database(options: { empty?: boolean } = {}): Promise<string> {
  const fresh = await scratchDatabase(dir, options);
  removals.push(fresh.dispose);
  return fresh.url;
}

describe(`migrations (${testDatabaseDialect()})`, () => {
  it('prisma/postgres/schema.prisma is rendered from prisma/schema.prisma (run `npm run db:migration -- <name>` after changing the schema)', () => {
    const source = readFileSync(schemaFiles('sqlite').schemaPath, 'utf8');
    expect(readFileSync(schemaFiles('postgresql').schemaPath, 'utf8')).toBe(renderPostgresSchema(source));
  });

  it('agree with their schema (run `npm run db:migration -- <name>` after changing the schema)', async () => {
    const url = await database({ empty: true });
    expect((await applyMigrations(url)).length).toBeGreaterThan(0);
    expect(await diffDatabaseToSchema(url)).toBe('');
  });

  it('apply once: a second run applies nothing', async () => {
    expect(await applyMigrations(await database())).toEqual([]);
  });

  it('keep Prisma\'s migration table', async () => {
    const db = await openDatabase(await database());
    const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: Date | string | null }[]>('SELECT migration_name, finished_at FROM _prisma_migrations');
    await db.$disconnect();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it.runIf(testDatabaseDialect() === 'sqlite')('opens the database with WAL, synchronous=FULL and a busy timeout', async () => {
    const db = await openDatabase(await database());
    const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
    const [sync] = await db.$queryRawUnsafe<{ synchronous: bigint }[]>('PRAGMA synchronous');
    const [busy] = await db.$queryRawUnsafe<{ timeout: bigint }[]>('PRAGMA busy_timeout');
    await db.$disconnect();
    expect(journal?.journal_mode).toBe('wal');
    expect(Number(sync?.synchronous)).toBe(2);
    expect(Number(busy?.timeout)).toBeGreaterThan(0);
  });
});
