/**
 * Import speed: a generated XLSX of BENCH_IMPORT_ROWS customers (default 50,000; every column
 * filled, a third with consents, phone numbers stored as numbers and dates as dates, as Excel
 * saves them) imported into a fresh migrated SQLite file through `runImport`, the same path as
 * `npm run import` and the upload page, with the command line's progress bar on stderr. Prints
 * the file size, the time to generate it (not counted), and the import's wall time per phase;
 * then imports it again (must import 0) and checks the database holds one lead per row (exit 1
 * if not). The target: 50,000 rows in under 30 s on 2 cores.
 *
 *   npm run bench
 *   BENCH_IMPORT_ROWS=100000 npx tsx bench/import-speed.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { terminalProgress } from '../bot/cli/progress-bar.ts';
import { systemClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { runImport, type ImportProgress } from '../core/customers/import/run-import.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error('BENCH_IMPORT_ROWS must be a whole number, at least 1');

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平'];
const GRADES = ['N', 'H', 'A', 'B', 'C'];
const SOURCES = ['自然到店', '网络', '来电', '转介绍'];

async function generate(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['姓名', '手机号', '称呼', '意向车型', '级别', '销售顾问', '来源', '最近到店', '生日', '服务消息同意', '营销消息同意', '同意来源', '同意时间']);
  for (let i = 0; i < rows; i += 1) {
    const visit = new Date(Date.UTC(2025, i % 12, (i % 28) + 1));
    const consent = i % 3 === 0;
    sheet.addRow([
      `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`, 13_900_000_000 + i, i % 2 ? '先生' : '女士', '城市SUV',
      GRADES[i % GRADES.length], '李顾问', SOURCES[i % SOURCES.length], visit, new Date(Date.UTC(1970 + (i % 40), i % 12, 1)),
      consent ? '是' : '', consent ? (i % 2 ? '是' : '否') : '', consent ? '纸质登记表' : '', consent ? visit : '',
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-import-bench-'));
try {
  const url = `file:${path.join(dir, 'bench.db')}`;
  const { db } = await migrateAndOpenDatabase(url);
  const setup = await ensureFirstStart(db, systemClock, loadConfig({ DATABASE_URL: url }));
  await db.staff.create({ data: { storeId: setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
  let started = performance.now();
  const file = await generate(ROWS);
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows: ${(file.length / 1024 / 1024).toFixed(1)} MB XLSX in ${((performance.now() - started) / 1000).toFixed(1)} s (not counted)`);
  const phases = new Map<string, number>();
  const bar = terminalProgress(process.stderr);
  const progress = (p: ImportProgress) => {
    if (!phases.has(p.phase)) phases.set(p.phase, performance.now());
    bar(p);
  };
  started = performance.now();
  const outcome = await runImport(db, systemClock, file, { storeId: setup.storeId, actorStaffId: null, fileName: 'bench.xlsx', skipBad: false, dryRun: false }, progress);
  const total = (performance.now() - started) / 1000;
  const at = (phase: string) => ((phases.get(phase) ?? started) - started) / 1000;
  console.log(`import: ${outcome.status}, ${outcome.imported.toLocaleString('en-US')} new, ${outcome.problems.length} problems`);
  console.log(`  read ${at('checking').toFixed(1)} s · check ${(at('writing') - at('checking')).toFixed(1)} s · write ${(at('done') - at('writing')).toFixed(1)} s · total ${total.toFixed(1)} s (${Math.round(ROWS / total).toLocaleString('en-US')} rows/s; target: 50,000 in < 30 s)`);
  started = performance.now();
  const again = await runImport(db, systemClock, file, { storeId: setup.storeId, actorStaffId: null, fileName: 'bench.xlsx', skipBad: false, dryRun: false });
  console.log(`re-run: ${again.imported} new, ${again.alreadyThere.toLocaleString('en-US')} already there, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const leads = await db.lead.count();
  await db.$disconnect();
  if (outcome.imported !== ROWS || again.imported !== 0 || leads !== ROWS) {
    console.error(`FAILED: expected ${ROWS} leads once, got ${leads} (first run ${outcome.imported}, re-run ${again.imported})`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
