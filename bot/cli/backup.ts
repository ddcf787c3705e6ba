/**
 * `npm run backup [-- --dir DIR] [--print]`: a backup of DATABASE_URL while the bot runs, named by
 * its UTC time, in DIR (default ./backups). SQLite: SQLite's online backup to a `.db` file.
 * PostgreSQL: runs the documented `pg_dump` (custom format, `.dump`), or with `--print` only
 * prints it. Restore with `npm run restore -- FILE` (README, "Backup and restore").
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { backupFileName, backupSqlite, pgDumpCommand } from '../../core/db/backup.ts';
import { runPgCommand } from './run-pg-command.ts';
import { dialectOf } from '../../core/db/database-url.ts';
import { loadEnvironment } from '../load-env.ts';

try {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'backups' }, print: { type: 'boolean', default: false } } });
  const { DATABASE_URL: url } = loadConfig(loadEnvironment());
  const file = path.join(values.dir, backupFileName(url, new Date()));
  if (dialectOf(url) === 'sqlite') {
    await backupSqlite(url, file);
    console.log(`Backed up to ${file}`);
  } else {
    const command = pgDumpCommand(url, file);
    console.log(command.printable);
    if (!values.print) {
      mkdirSync(values.dir, { recursive: true });
      await runPgCommand(command);
      console.log(`Backed up to ${file}`);
    }
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
