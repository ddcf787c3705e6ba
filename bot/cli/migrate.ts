/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (start-up does the same). */
import { ConfigError, loadConfig } from '../../core/config.ts';
import { redactPassword } from '../../core/db/database-url.ts';
import { applyMigrations } from '../../core/db/migrator.ts';
import { loadEnvironment } from '../load-env.ts';

try {
  const config = loadConfig(loadEnvironment());
  const applied = await applyMigrations(config.DATABASE_URL);
  const target = redactPassword(config.DATABASE_URL);
  console.log(applied.length === 0 ? `${target} is up to date.` : `Applied to ${target}: ${applied.join(', ')}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
