/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (start-up does the same). */
import { ConfigError, loadConfig } from '../../core/config.ts';
import { applyMigrations } from '../../core/db/migrator.ts';
import { loadEnvironment } from '../load-env.ts';

try {
  const config = loadConfig(loadEnvironment());
  const applied = await applyMigrations(config.DATABASE_URL);
  console.log(applied.length === 0 ? `${config.DATABASE_URL} is up to date.` : `Applied to ${config.DATABASE_URL}: ${applied.join(', ')}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
