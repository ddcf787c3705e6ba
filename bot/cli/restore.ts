/**
 * `npm run restore -- FILE`: puts a backup made by `npm run backup` into DATABASE_URL, which must
 * not hold a database yet (SQLite: no file there; PostgreSQL: a new, empty database). Then start
 * the bot on it: start-up applies the migrations made since the backup.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { assertEmptyPostgres, pgRestoreCommand, restoreSqlite } from '../../core/db/backup.ts';
import { runPgCommand } from './run-pg-command.ts';
import { dialectOf, redactPassword } from '../../core/db/database-url.ts';
import { loadEnvironment } from '../load-env.ts';

try {
  const { positionals } = parseArgs({ allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error('Usage: npm run restore -- <backup file>');
  if (!existsSync(file)) throw new Error(`There is no file ${file}`);
  const { DATABASE_URL: url } = loadConfig(loadEnvironment());
  if (dialectOf(url) === 'sqlite') {
    console.log(`Restored ${file} to ${restoreSqlite(file, url)}`);
  } else {
    await assertEmptyPostgres(url);
    const command = pgRestoreCommand(url, file);
    console.log(command.printable);
    await runPgCommand(command);
    console.log(`Restored ${file} to ${redactPassword(url)}`);
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
