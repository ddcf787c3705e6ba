/** The database engines the application runs on; `DATABASE_URL` chooses one. */
export type Dialect = 'sqlite' | 'postgresql';

const EXPECTED = 'expected file:<path> for SQLite or postgresql://user@host:5432/db for PostgreSQL';

/**
 * Which engine a `DATABASE_URL` names: `file:` → SQLite, `postgres://` or `postgresql://` →
 * PostgreSQL. Anything else is refused with what to write instead.
 */
export function dialectOf(databaseUrl: string): Dialect {
  if (/^file:.+/.test(databaseUrl)) return 'sqlite';
  if (/^postgres(ql)?:\/\/.+/.test(databaseUrl)) return 'postgresql';
  throw new Error(`DATABASE_URL "${redactPassword(databaseUrl)}" names no supported database: ${EXPECTED}`);
}

/**
 * Turns a Prisma-style SQLite URL (`file:./data/showroom.db`) into the path better-sqlite3
 * opens. Relative paths are relative to the working directory, as with Prisma's CLI.
 */
export function sqliteFilePath(databaseUrl: string): string {
  if (dialectOf(databaseUrl) !== 'sqlite') {
    throw new Error(`DATABASE_URL must start with "file:" here (got "${redactPassword(databaseUrl)}")`);
  }
  return databaseUrl.slice('file:'.length);
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactPassword(databaseUrl: string): string {
  return databaseUrl.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
