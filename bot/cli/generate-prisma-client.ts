/**
 * `npm run db:generate` (also run after `npm install`): generates the Prisma clients, one per
 * engine (Prisma fixes the provider per schema): core/db/generated from prisma/schema.prisma
 * (SQLite) and core/db/generated-postgres from prisma/postgres/schema.prisma. `prisma generate`
 * only checks that a schema engine binary exists and never runs it; offline machines cannot
 * download one, so unless you point PRISMA_SCHEMA_ENGINE_BINARY at a real engine we point it at
 * this Node binary.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { schemaFiles } from '../../core/db/schema-files.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
for (const dialect of ['sqlite', 'postgresql'] as const) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaFiles(dialect).schemaPath], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
