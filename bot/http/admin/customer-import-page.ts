import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { COLUMN_NAME } from '../../../core/customers/import/import-columns.ts';
import { outcomeReport } from '../../../core/customers/import/import-report.ts';
import { ImportFileError, MAX_IMPORT_ROWS } from '../../../core/customers/import/read-import-file.ts';
import { runImport, type ImportOutcome, type ImportProgress } from '../../../core/customers/import/run-import.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { refusePage, sendHtml } from './page-reply.ts';

const TITLE = '导入客户';
/** The largest file the page takes (a 200,000-row XLSX is about 11 MB). */
const MAX_FILE_BYTES = 30 * 1024 * 1024;
/** Finished imports are kept for their page this long. */
const KEEP_FINISHED_MS = 3600_000;

/** An import started from the page: who started it, where it is, how it ended. */
interface ImportJob {
  staffId: string;
  storeId: string;
  progress: ImportProgress;
  outcome: ImportOutcome | null;
  /** Why it stopped without an outcome (what to do, in Chinese). */
  error: string | null;
  finishedAt: number | null;
}

function importPage(staff: StaffPrincipal): string {
  const content = html`<p>上传 CSV 或 Excel（.xlsx）文件，第一行是列名。可用的列：${Object.values(COLUMN_NAME).join('、')}（姓名和手机号必填）。示例文件见项目的 docs/examples/customers-import.csv。</p>
<p>默认只要有一行有错就全部不导入，并列出每个有错的行和列；同一个文件再导入一次不会重复。没有写明同意记录的客户不会收到营销消息。一次最多 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行。</p>
<form id="import-form" class="import"><label>文件<input type="file" name="file" accept=".csv,.xlsx" required></label>
<label class="check"><input type="checkbox" name="skipBad" value="1"> 跳过有错的行，导入其余正确的行</label>
<label class="check"><input type="checkbox" name="dryRun" value="1"> 只检查，不导入</label>
<button type="submit">开始导入</button></form>
<div id="import-status" hidden><progress id="import-progress" max="1" value="0"></progress> <span id="import-phase" role="status"></span></div>
<div id="import-result"></div>`;
  return adminPage({ title: TITLE, staff, content, script: 'customer-import.js' });
}

/** `/admin/customers/import`: a manager uploads a file; the page polls the import's progress and shows every bad row. */
export function registerCustomerImportPage(app: FastifyInstance, ctx: AppContext): void {
  const jobs = new Map<string, ImportJob>();
  const forget = (now: number) => {
    for (const [id, job] of jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) jobs.delete(id);
  };
  const guard = async (request: Parameters<typeof requireStaff>[1], reply: Parameters<typeof requireStaff>[2]) => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, 'customer.import', storeSubject(staff))) {
      await refusePage(reply, staff, 403, { title: TITLE, text: '只有经理和管理员可以导入客户。', back: '/admin/customers' });
      return null;
    }
    return staff;
  };

  app.get('/admin/customers/import', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    return sendHtml(reply, 200, importPage(staff));
  });

  // The file comes as the raw request body (the page's script sends it as it is), in its own scope.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));
    scope.post<{ Querystring: { file?: string; skipBad?: string; dryRun?: string } }>('/admin/customers/import', { bodyLimit: MAX_FILE_BYTES }, async (request, reply) => {
      const staff = await guard(request, reply);
      if (!staff) return reply;
      const bytes = request.body;
      const fileName = formText(request.query, 'file', { max: 120 });
      if (!Buffer.isBuffer(bytes) || bytes.length === 0 || fileName === '') return reply.code(400).send({ error: '请选择要导入的 .csv 或 .xlsx 文件。' });
      forget(Date.now());
      if ([...jobs.values()].some((j) => j.storeId === staff.storeId && j.finishedAt === null)) return reply.code(409).send({ error: '本店有一个导入正在进行，请等它完成后再导入。' });
      const id = randomUUID();
      const job: ImportJob = { staffId: staff.staffId, storeId: staff.storeId, progress: { phase: 'reading', done: 0, total: 0 }, outcome: null, error: null, finishedAt: null };
      jobs.set(id, job);
      const options = { storeId: staff.storeId, actorStaffId: staff.staffId, fileName, skipBad: formText(request.query, 'skipBad', { max: 2 }) === '1', dryRun: formText(request.query, 'dryRun', { max: 2 }) === '1' };
      void runImport(ctx.db, ctx.clock, bytes, options, (progress) => {
        job.progress = progress;
      }).then((outcome) => {
        job.outcome = outcome;
        ctx.logger.info({ storeId: staff.storeId, status: outcome.status, imported: outcome.imported }, 'customer import finished');
      }, (error: unknown) => {
        if (!(error instanceof ImportFileError)) ctx.logger.error({ err: error, storeId: staff.storeId }, 'customer import failed');
        job.error = error instanceof ImportFileError ? error.message : '导入失败，没有写入任何数据；请稍后重试。';
      }).finally(() => {
        job.finishedAt = Date.now();
      });
      return reply.code(202).send({ job: id });
    });
  });

  app.get<{ Params: { id: string } }>('/admin/customers/import/jobs/:id', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const job = jobs.get(request.params.id);
    if (!job || job.staffId !== staff.staffId) return reply.code(404).send({ error: '没有找到这次导入。' });
    const report = job.outcome ? outcomeReport(job.outcome) : [];
    return reply.send({ progress: job.progress, finished: job.finishedAt !== null, error: job.error, outcome: job.outcome, summary: report.at(-1) ?? null });
  });
}
