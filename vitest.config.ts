import { defineConfig } from 'vitest/config';
import { testDialect } from './test/helpers/test-database-kind.ts';

// Every statement is a network round trip on PostgreSQL: the database-heavy property tests need longer there.
const slower = testDialect() === 'postgresql' ? 3 : 1;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/drop-idle-databases.ts'],
    pool: 'forks',
    testTimeout: 30_000 * slower,
    hookTimeout: 60_000 * slower,
    env: { LOG_LEVEL: 'silent' },
  },
});
