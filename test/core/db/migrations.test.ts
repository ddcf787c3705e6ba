import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { applyMigrations, diffDatabaseToSchema } from '../../../core/db/migrator.ts';
import { openDatabase } from '../../../core/db/open-database.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration -- <name>` after changing the schema)', async () => {
    const url = `file:${path.join(dir, 'drift.db')}`;
    await applyMigrations(url);
    expect(await diffDatabaseToSchema(url)).toBe('');
  });

  it('apply once: a second run applies nothing', async () => {
    const file = path.join(dir, 'twice.db');
    copyFileSync(inject('templateDatabase'), file);
    expect(await applyMigrations(`file:${file}`)).toEqual([]);
  });

  it('keep Prisma\'s migration table', async () => {
    const file = path.join(dir, 'table.db');
    copyFileSync(inject('templateDatabase'), file);
    const db = await openDatabase(`file:${file}`);
    const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: string | null }[]>('SELECT migration_name, finished_at FROM _prisma_migrations');
    await db.$disconnect();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('opens the database with WAL, synchronous=FULL and a busy timeout', async () => {
    const file = path.join(dir, 'pragmas.db');
    copyFileSync(inject('templateDatabase'), file);
    const db = await openDatabase(`file:${file}`);
    const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
    const [sync] = await db.$queryRawUnsafe<{ synchronous: bigint }[]>('PRAGMA synchronous');
    const [busy] = await db.$queryRawUnsafe<{ timeout: bigint }[]>('PRAGMA busy_timeout');
    await db.$disconnect();
    expect(journal?.journal_mode).toBe('wal');
    expect(Number(sync?.synchronous)).toBe(2);
    expect(Number(busy?.timeout)).toBeGreaterThan(0);
  });
});
