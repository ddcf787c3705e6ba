import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { dialectOf, sqliteFilePath } from './database-url.ts';
import { applyMigrations } from './migrator.ts';
import { pendingMigrations } from './pending-migrations.ts';
import { attachDirectSqlite } from './raw-sql.ts';
import { openPostgresDatabase } from './open-postgres-database.ts';
import { serializedSqliteAdapter } from './serialized-sqlite-adapter.ts';

export type Database = PrismaClient;
/** The client inside an interactive transaction; domain services accept either. */
export type DatabaseTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** How long a writer waits for another process's lock before failing (better-sqlite3 `timeout`). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database `DATABASE_URL` names: a SQLite file (`file:`) or a PostgreSQL server
 * (`postgres://`, `postgresql://`, see `openPostgresDatabase`).
 */
export function openDatabase(databaseUrl: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Promise<Database> {
  return dialectOf(databaseUrl) === 'sqlite' ? openSqliteDatabase(databaseUrl, busyTimeoutMs) : openPostgresDatabase(databaseUrl);
}

/**
 * Opens the SQLite database through Prisma's better-sqlite3 driver adapter, creating the
 * file and its folder if needed. WAL lets readers run beside the writer; synchronous=FULL
 * makes every commit durable across a power cut (a registration must not vanish).
 */
async function openSqliteDatabase(databaseUrl: string, busyTimeoutMs: number): Promise<Database> {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const adapter = serializedSqliteAdapter(new PrismaBetterSqlite3({ url: file, timeout: busyTimeoutMs }));
  const db = new PrismaClient({ adapter });
  attachDirectSqlite(db, adapter.direct);
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  return db;
}

/** Applies pending migrations (only when there are some), then opens the database: what start-up does. */
export async function migrateAndOpenDatabase(databaseUrl: string): Promise<{ db: Database; applied: string[] }> {
  // SQLite: Prisma's engine migrates with the file locked exclusively, so a start with nothing to apply does not use it.
  let pending: string[] | null = null;
  if (dialectOf(databaseUrl) === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    pending = await pendingMigrations(databaseUrl);
  }
  const applied = pending?.length === 0 ? [] : await applyMigrations(databaseUrl).catch((error: unknown) => {
    if (pending && /SQLITE_BUSY|SocketTimeout|database is locked/i.test(String(error))) {
      throw new Error(`The database ${databaseUrl} has migrations to apply (${pending.join(', ')}) but another running instance has it open: stop the other instances, start this one (it migrates), then start them again.`);
    }
    throw error;
  });
  return { db: await openDatabase(databaseUrl), applied };
}
