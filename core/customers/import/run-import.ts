import { recordAudit } from '../../audit/record-audit.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/open-database.ts';
import { parseLeadSettings } from '../../leads/lead-settings.ts';
import { checkImportRows, type ImportProblem } from './check-import-rows.ts';
import { mapHeader } from './import-columns.ts';
import { readImportFile } from './read-import-file.ts';
import { phonesAlreadyLeads, writeImportRows } from './write-import.ts';

/** How an import runs. */
export interface ImportOptions {
  storeId: string;
  /** Who imports (null: the command line). */
  actorStaffId: string | null;
  fileName: string;
  /** Import the good rows and report the bad ones (default: any bad row imports nothing). */
  skipBad: boolean;
  /** Only check: nothing is written. */
  dryRun: boolean;
}

/** Where an import is: for a progress bar. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}

/**
 * What came of it. `refused`: nothing written (a bad header, or bad rows without skipBad);
 * `checked`: a dry run; `imported`: written. `wouldImport`/`imported` count new leads,
 * `alreadyThere` numbers that are already the store's leads (left alone).
 */
export interface ImportOutcome {
  status: 'refused' | 'checked' | 'imported';
  rows: number;
  imported: number;
  alreadyThere: number;
  /** Problems with the file as a whole (its header). */
  fileProblems: string[];
  /** Every bad cell, by row and column. */
  problems: ImportProblem[];
}

/** Transactions of an import may run this long (50,000 rows take seconds; this is a guard, not a budget). */
const IMPORT_TRANSACTION_MS = 10 * 60_000;

/**
 * Imports existing customers and leads from a CSV or XLSX file into a store: reads it (see
 * readImportFile; an unreadable file throws ImportFileError), checks every row, and — unless a
 * dry run, or bad rows without `skipBad` — writes the good rows in one transaction (all or
 * nothing), audited once. Customers get exactly the consents the file records: none means no
 * marketing (and no service messages until they consent).
 */
export async function runImport(db: Database, clock: Clock, bytes: Buffer, options: ImportOptions, onProgress: (progress: ImportProgress) => void = () => undefined): Promise<ImportOutcome> {
  onProgress({ phase: 'reading', done: 0, total: 0 });
  const table = await readImportFile(bytes, options.fileName);
  const total = table.rows.length;
  const header = mapHeader(table.header);
  const outcome = (status: ImportOutcome['status'], counts: { imported?: number; alreadyThere?: number } = {}, problems: ImportProblem[] = []): ImportOutcome =>
    ({ status, rows: total, imported: counts.imported ?? 0, alreadyThere: counts.alreadyThere ?? 0, fileProblems: header.problems, problems });
  if (header.problems.length > 0) return outcome('refused');
  onProgress({ phase: 'checking', done: 0, total });
  const store = await db.store.findUniqueOrThrow({ where: { id: options.storeId }, include: { carModels: { where: { active: true } }, staff: { where: { role: 'CONSULTANT', active: true } } } });
  const consultants = new Map<string, string | null>();
  for (const s of store.staff) consultants.set(s.name, consultants.has(s.name) ? null : s.id);
  const now = clock.now();
  const { good, problems } = checkImportRows(header.fields, table.rows, { now, timeZone: store.timeZone, models: new Map(store.carModels.map((m) => [m.name.toLowerCase(), m.name])), consultants });
  if (problems.length > 0 && !options.skipBad) return outcome('refused', {}, problems);
  if (options.dryRun) {
    const there = (await db.$transaction((tx) => phonesAlreadyLeads(tx, store.id, good.map((r) => r.phone)))).size;
    onProgress({ phase: 'done', done: total, total });
    return outcome('checked', { imported: good.length - there, alreadyThere: there }, problems);
  }
  const written = await db.$transaction(async (tx) => {
    const result = await writeImportRows(tx, { storeId: store.id, rows: good, settings: parseLeadSettings(store.leadSettings), now, progress: (done) => onProgress({ phase: 'writing', done, total: good.length }) });
    await recordAudit(tx, {
      storeId: store.id, actorStaffId: options.actorStaffId, action: 'customers.imported', entity: 'Store', entityId: store.id, at: now,
      details: { file: options.fileName.slice(0, 120), rows: total, imported: result.created, alreadyThere: result.alreadyThere, skipped: problems.length === 0 ? 0 : new Set(problems.map((p) => p.line)).size },
    });
    return result;
  }, { timeout: IMPORT_TRANSACTION_MS, maxWait: 30_000 });
  onProgress({ phase: 'done', done: total, total });
  return outcome('imported', { imported: written.created, alreadyThere: written.alreadyThere }, problems);
}
