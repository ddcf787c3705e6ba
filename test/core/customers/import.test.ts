// Importing existing customers and leads (issue #18): every bad row and cell named, all or
// nothing by default, --skip-bad, --dry-run, a re-run imports nothing, GBK CSV read, XLSX cells
// read as Excel stores them, and no marketing without a recorded consent.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentsInForce } from '../../../core/consent/consent-status.ts';
import { ImportFileError } from '../../../core/customers/import/read-import-file.ts';
import { runImport, type ImportOptions, type ImportProgress } from '../../../core/customers/import/run-import.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
  await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
});
afterEach(async () => {
  await t.close();
});

const EXAMPLE = readFileSync(path.join(import.meta.dirname, '../../../docs/examples/customers-import.csv'));
const options = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ storeId: t.setup.storeId, actorStaffId: null, fileName: 'customers.csv', skipBad: false, dryRun: false, ...extra });
const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');
const HEADER = '姓名,手机号,称呼,意向车型,级别,销售顾问,来源,最近到店,生日,服务消息同意,营销消息同意,同意来源,同意时间';
const counts = async () => ({ customers: await t.ctx.db.customer.count(), leads: await t.ctx.db.lead.count(), consents: await t.ctx.db.consentRecord.count() });

describe('import', () => {
  it('imports the example file, with its consents and owners; a re-run imports nothing', async () => {
    const seen: ImportProgress[] = [];
    const first = await runImport(t.ctx.db, t.clock, EXAMPLE, options(), (p) => seen.push(p));
    expect(first).toMatchObject({ status: 'imported', rows: 3, imported: 3, alreadyThere: 0, problems: [] });
    expect(seen.at(-1)).toEqual({ phase: 'done', done: 3, total: 3 });
    expect(seen.some((p) => p.phase === 'writing')).toBe(true);
    const wang = await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: '+8613800138000' }, include: { leads: true } });
    expect(wang).toMatchObject({ name: '王芳', salutation: '女士', birthday: '1988-05-20' });
    expect(wang.leads[0]).toMatchObject({ grade: 'A', source: 'walk_in', modelOfInterest: '城市SUV', firstVisitAt: new Date('2025-10-07T16:00:00Z') });
    const li = await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: '+8613700137000' } });
    const inForce = await consentsInForce(t.ctx.db as never, [wang.id, li.id]);
    expect(inForce.get(`${wang.id}:MARKETING`)).toBe(true);
    expect(inForce.has(`${li.id}:MARKETING`)).toBe(false); // no record: no marketing
    expect((await t.ctx.db.consentRecord.findFirstOrThrow({ where: { customerId: wang.id, purpose: 'MARKETING' } })).source).toBe('import:纸质登记表');
    const before = await counts();
    expect(await runImport(t.ctx.db, t.clock, EXAMPLE, options())).toMatchObject({ status: 'imported', imported: 0, alreadyThere: 3 });
    expect(await counts()).toEqual(before);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'customers.imported' } })).toBe(2);
  });

  it('refuses a file with bad rows, naming each row and column, and imports nothing', async () => {
    const file = csv([HEADER,
      '王芳,13800138000,女士,城市SUV,A,李顾问,自然到店,2025-10-08,,,,,',
      '张伟,12345,,,Z,王大锤,路过,2099-01-01,1990-02-30,,是,,',
      '李娜,138 0013 8000,,飞行汽车,,,,,,,,,']);
    const outcome = await runImport(t.ctx.db, t.clock, file, options());
    expect(outcome.status).toBe('refused');
    expect(outcome.problems.map((p) => [p.line, p.column])).toEqual([
      [3, '手机号'], [3, '级别'], [3, '销售顾问'], [3, '来源'], [3, '最近到店'], [3, '生日'], [3, '同意来源'], [3, '同意时间'],
      [4, '手机号'], [4, '意向车型'],
    ]);
    expect(outcome.problems.find((p) => p.line === 4 && p.column === '手机号')?.problem).toBe('与第 2 行的手机号重复');
    expect(outcome.problems.find((p) => p.column === '最近到店')?.problem).toContain('在将来');
    expect(await counts()).toEqual({ customers: 0, leads: 0, consents: 0 });
    // --dry-run: the same answer about the rows, nothing written.
    expect(await runImport(t.ctx.db, t.clock, file, options({ dryRun: true, skipBad: true }))).toMatchObject({ status: 'checked', imported: 1 });
    expect(await counts()).toEqual({ customers: 0, leads: 0, consents: 0 });
    // --skip-bad: the good row, the bad ones reported.
    const skipped = await runImport(t.ctx.db, t.clock, file, options({ skipBad: true }));
    expect(skipped).toMatchObject({ status: 'imported', imported: 1 });
    expect(skipped.problems.length).toBe(10);
    expect((await t.ctx.db.lead.findFirstOrThrow({ include: { owner: true } })).owner?.name).toBe('李顾问');
  });

  it('refuses unknown or missing columns by name', async () => {
    const outcome = await runImport(t.ctx.db, t.clock, csv(['姓名,手几号,备注', '王芳,13800138000,x']), options());
    expect(outcome.status).toBe('refused');
    expect(outcome.fileProblems).toEqual([expect.stringContaining('第 2 列“手几号”不认识'), expect.stringContaining('第 3 列“备注”不认识'), '缺少“手机号”列']);
  });

  it('reads a CSV saved by Excel in GBK, and refuses bytes no encoding explains with what to do', async () => {
    const gbk = iconv.encode(`${HEADER}\n欧阳娜娜,13800138001,女士,城市SUV,H,,网络,,,,,,\n`, 'gbk');
    expect(await runImport(t.ctx.db, t.clock, gbk, options())).toMatchObject({ status: 'imported', imported: 1 });
    expect((await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: '+8613800138001' } })).name).toBe('欧阳娜娜');
    const broken = Buffer.concat([Buffer.from('姓名,手机号\n'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from(',13800138002\n')]);
    await expect(runImport(t.ctx.db, t.clock, broken, options())).rejects.toThrow(/另存为 → CSV UTF-8/);
    await expect(runImport(t.ctx.db, t.clock, EXAMPLE, options({ fileName: 'customers.xls' }))).rejects.toBeInstanceOf(ImportFileError);
  });

  it('reads XLSX as Excel stores it: phone numbers as numbers, dates as dates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['姓名', '手机号', '最近到店', '营销消息同意', '同意来源', '同意时间']);
    sheet.addRow(['赵敏', 13800138003, new Date(Date.UTC(2025, 4, 20)), '否', '展厅登记', new Date(Date.UTC(2025, 4, 20))]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await runImport(t.ctx.db, t.clock, bytes, options({ fileName: 'customers.XLSX' }))).toMatchObject({ status: 'imported', imported: 1 });
    const lead = await t.ctx.db.lead.findFirstOrThrow({ include: { customer: { include: { consents: true } } } });
    expect(lead.customer.phone).toBe('+8613800138003');
    expect(lead.firstVisitAt).toEqual(new Date('2025-05-19T16:00:00Z'));
    expect(lead.customer.consents.map((c) => [c.purpose, c.granted])).toEqual([['MARKETING', false]]);
  });

  it('never fails on hostile cells: a refusal stores nothing (fast-check)', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('13800138000', '=cmd|" /C calc"!A0', '"', ',', '\n', '\u202E', '🚗', '2099-12-31', '是', 'H', '__proto__'));
    await fc.assert(fc.asyncProperty(fc.array(fc.array(cell, { minLength: 13, maxLength: 13 }), { minLength: 1, maxLength: 5 }), async (rows) => {
      const body = [HEADER, ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n');
      const before = await counts();
      const outcome = await runImport(t.ctx.db, t.clock, Buffer.from(body), options()).catch((error: unknown) => {
        expect(error).toBeInstanceOf(ImportFileError);
        return null;
      });
      if (!outcome || outcome.status === 'refused') expect(await counts()).toEqual(before);
      else expect(outcome.problems).toEqual([]);
    }), { numRuns: 40 });
  });
});

describe('npm run import', () => {
  it('exits 1 naming the bad rows, and imports with --skip-bad', async () => {
    const file = path.join(t.database.dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\n王芳,13800138000,,,,,,,,,,,\n张伟,123,,,,,,,,,,,\n`);
    const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'bot/cli/import-customers.ts', file, ...args], { env: { ...process.env, DATABASE_URL: t.database.url } })
      .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    await t.ctx.db.$disconnect(); // the command migrates the database first: nobody else may hold it
    const refused = await run();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('第 3 行，手机号：“123”不是有效的手机号');
    expect(refused.stdout).toContain('没有导入');
    const skipped = await run('--skip-bad');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('新增 1 位');
    expect(skipped.stderr).toContain('[##############################] 100%');
  });
});
