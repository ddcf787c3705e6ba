/**
 * Turns a Prisma-style SQLite URL (`file:./data/showroom.db`) into the path better-sqlite3
 * opens. Relative paths are relative to the working directory, as with Prisma's CLI.
 */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error(`DATABASE_URL must start with "file:" (got "${databaseUrl}")`);
  }
  return databaseUrl.slice('file:'.length);
}
