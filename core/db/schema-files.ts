import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from './database-url.ts';

/** The repository root (for the schema engine's `configDir`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where one dialect's Prisma schema and its committed migrations live. */
export interface SchemaFiles {
  schemaPath: string;
  migrationsDir: string;
}

/**
 * `prisma/schema.prisma` (SQLite) is the one source of truth for the models;
 * `prisma/postgres/schema.prisma` is rendered from it (see `renderPostgresSchema`). Each has
 * its migrations beside it, where `prisma migrate deploy --schema …` looks for them.
 */
export function schemaFiles(dialect: Dialect): SchemaFiles {
  const dir = path.join(PROJECT_ROOT, dialect === 'sqlite' ? 'prisma' : 'prisma/postgres');
  return { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
}
