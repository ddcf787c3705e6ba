import type { Dialect } from '../../core/db/database-url.ts';

/**
 * The engine the test run uses: TEST_DATABASE=postgres (or postgresql) runs the suite on the
 * PostgreSQL server of TEST_POSTGRES_URL; unset or `sqlite`, on SQLite files.
 */
export function testDialect(env: NodeJS.ProcessEnv = process.env): Dialect {
  const value = env.TEST_DATABASE?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'sqlite') return 'sqlite';
  if (value === 'postgres' || value === 'postgresql') return 'postgresql';
  throw new Error(`TEST_DATABASE must be sqlite or postgres (got "${env.TEST_DATABASE}")`);
}
