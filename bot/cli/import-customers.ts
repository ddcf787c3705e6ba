/**
 * `npm run import -- FILE [--store <name>] [--skip-bad] [--dry-run]`: imports existing customers
 * and leads from a CSV or XLSX file into a store (the first store when --store is not given).
 * By default a file with any bad row imports nothing and the command exits 1, naming every bad
 * row and column; --skip-bad imports the good rows and lists the rest; --dry-run only checks.
 * Running the same file again imports nothing new. The file format is in the README.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock.ts';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { ImportFileError } from '../../core/customers/import/read-import-file.ts';
import { outcomeReport } from '../../core/customers/import/import-report.ts';
import { runImport } from '../../core/customers/import/run-import.ts';
import { migrateAndOpenDatabase } from '../../core/db/open-database.ts';
import { loadEnvironment } from '../load-env.ts';
import { terminalProgress } from './progress-bar.ts';

const USAGE = 'Usage: npm run import -- FILE.csv|FILE.xlsx [--store <store name>] [--skip-bad] [--dry-run]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { store: { type: 'string' }, 'skip-bad': { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(loadEnvironment());
  const { db } = await migrateAndOpenDatabase(config.DATABASE_URL);
  try {
    const store = await db.store.findFirst({ where: values.store ? { name: values.store } : {}, orderBy: { createdAt: 'asc' } });
    if (!store) {
      console.error(values.store ? `No store named "${values.store}".` : 'There is no store yet: start the bot once (npm start) to create it.');
      return 2;
    }
    const bytes = await readFile(file);
    const outcome = await runImport(db, systemClock, bytes, { storeId: store.id, actorStaffId: null, fileName: path.basename(file), skipBad: values['skip-bad'], dryRun: values['dry-run'] }, terminalProgress(process.stderr));
    for (const line of outcomeReport(outcome)) console.log(line);
    return outcome.status === 'refused' || (outcome.status === 'checked' && outcome.problems.length > 0) ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ImportFileError || error instanceof ConfigError) console.error(error.message);
  else if ((error as NodeJS.ErrnoException).code === 'ENOENT') console.error(`No such file: ${(error as NodeJS.ErrnoException).path ?? ''}`);
  else console.error(error);
  process.exitCode = 1;
}
