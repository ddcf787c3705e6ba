import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { dialectOf, redactPassword, sqliteFilePath } from './database-url.ts';

/** A backup's file name: the engine's kind of file, named by the UTC time it was taken (`showroom-2026-05-01T12-30-05Z.db`). */
export function backupFileName(databaseUrl: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
  return `showroom-${stamp}.${dialectOf(databaseUrl) === 'sqlite' ? 'db' : 'dump'}`;
}

/**
 * SQLite: copies the live database into `file` with SQLite's online backup (better-sqlite3's
 * `backup`), a consistent snapshot while instances keep writing; then checks the copy's integrity.
 */
export async function backupSqlite(databaseUrl: string, file: string): Promise<void> {
  const source = sqliteFilePath(databaseUrl);
  if (!existsSync(source)) throw new Error(`There is no database at ${source} to back up (DATABASE_URL).`);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(source, { readonly: true, timeout: 5_000 });
  try {
    await db.backup(file);
  } finally {
    db.close();
  }
  checkSqliteIntegrity(file);
}

/**
 * SQLite: puts the backup `file` where DATABASE_URL points. Refuses to overwrite a database: the
 * instances must be stopped and the current file moved aside first (with its -wal and -shm).
 */
export function restoreSqlite(file: string, databaseUrl: string): string {
  const target = sqliteFilePath(databaseUrl);
  if (existsSync(target) && statSync(target).size > 0) {
    throw new Error(`${target} exists: stop every instance, move it aside (with ${path.basename(target)}-wal and -shm if present), then restore again.`);
  }
  checkSqliteIntegrity(file);
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  copyFileSync(file, target);
  return target;
}

function checkSqliteIntegrity(file: string): void {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file} is damaged: integrity_check says ${String(result)}`);
  } finally {
    db.close();
  }
}

/** A PostgreSQL client program run with the database's URL: the password goes in PGPASSWORD, never on the command line. */
export interface PgCommand {
  program: 'pg_dump' | 'pg_restore';
  args: string[];
  env: Record<string, string>;
  /** The command as the README documents it, password hidden. */
  printable: string;
}

/** Prisma's own URL parameters, which libpq (pg_dump, pg_restore) refuses. */
const PRISMA_ONLY_PARAMETERS = ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer', 'statement_cache_size', 'socket_timeout'];

function libpqTarget(databaseUrl: string): { uri: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  for (const name of PRISMA_ONLY_PARAMETERS) url.searchParams.delete(name);
  return { uri: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

const quote = (arg: string) => (/^[\w./:=@-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

function pgCommand(program: PgCommand['program'], databaseUrl: string, args: (uri: string) => string[]): PgCommand {
  const { uri, env } = libpqTarget(databaseUrl);
  const full = args(uri);
  return { program, args: full, env, printable: [...(env.PGPASSWORD ? ['PGPASSWORD=***'] : []), program, ...full.map(quote)].join(' ') };
}

/** PostgreSQL: `pg_dump` in its custom format (compressed; restored with pg_restore), without ownership, into `file`. */
export function pgDumpCommand(databaseUrl: string, file: string): PgCommand {
  return pgCommand('pg_dump', databaseUrl, (uri) => ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${uri}`]);
}

/** PostgreSQL: `pg_restore` of `file` into the (empty) database, in one transaction, stopping at the first error. */
export function pgRestoreCommand(databaseUrl: string, file: string): PgCommand {
  return pgCommand('pg_restore', databaseUrl, (uri) => ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${uri}`, file]);
}


/** PostgreSQL: refuses a restore into a database that has the application's tables already. */
export async function assertEmptyPostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migrated: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS migrated`);
    if (rows[0]?.migrated) throw new Error(`${redactPassword(databaseUrl)} already holds a database: restore into a new, empty one (createdb), then point DATABASE_URL at it.`);
  } finally {
    await client.end();
  }
}
