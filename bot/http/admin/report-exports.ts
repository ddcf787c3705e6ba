import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../../core/audit/record-audit.ts';
import { buildReport, buildTrend, reportScope } from '../../../core/reports/build-report.ts';
import { exportTables, type ExportFormat, type ExportTable } from '../../../core/reports/report-export.ts';
import { isListName, reportList } from '../../../core/reports/report-lists.ts';
import { reportTables } from '../../../core/reports/report-tables.ts';
import { viewParam } from './report-query.ts';
import { reportRequest, reportRequestOf, type ReportRequestContext } from './report-request.ts';
import { formText } from '../form-fields.ts';

/** Rows an exported list holds at most (a year of a busy store's registrations fits). */
export const EXPORT_ROWS = 100_000;

async function tablesFor(ctx: AppContext, r: ReportRequestContext, what: string): Promise<ExportTable[] | null> {
  const req = reportRequestOf(r, ctx.clock.now());
  if (what === 'report') {
    const [report, trend] = [await buildReport(ctx.db, req), await buildTrend(ctx.db, req)];
    return reportTables(report, trend).map((t) => ({ name: t.name, title: t.title, columns: t.columns, rows: t.rows.map((row) => row.map((c) => c.v)) }));
  }
  if (!isListName(what)) return null;
  const list = await reportList(ctx.db, reportScope(req), r.staff, what, r.query.filter, EXPORT_ROWS);
  return [{ name: '明细', title: list.title, columns: list.columns, rows: list.rows }];
}

/**
 * `POST /admin/reports/export`: the report (`what=report`, every table a sheet) or a list behind
 * it (`what=<list>`) as XLSX or CSV, for the same views as the page (`report.view`). Phones are
 * masked as on the page; each export is audited (`report.exported`: who, what, period, view,
 * rows), in the exporting staff member's store.
 */
export function registerReportExports(app: FastifyInstance, ctx: AppContext): void {
  app.post('/admin/reports/export', async (request, reply) => {
    const r = await reportRequest(ctx, request, reply, request.body);
    if (!r) return reply;
    const what = formText(request.body, 'what', { max: 20 });
    const format: ExportFormat | null = ({ xlsx: 'xlsx', csv: 'csv' } as const)[formText(request.body, 'format', { max: 10 }) as 'xlsx' | 'csv'] ?? null;
    const tables = format ? await tablesFor(ctx, r, what) : null;
    if (!format || !tables) return reply.code(400).type('text/plain; charset=utf-8').send('what must be "report" or a list name, and format "xlsx" or "csv"');
    const period = r.query.period;
    const name = `报表_${what === 'report' ? '汇总' : tables[0]?.title.replace(/[（(].*$/, '') ?? what}_${period.start}_${period.end}`;
    const file = await exportTables(tables, format, name);
    const rows = tables.reduce((n, t) => n + t.rows.length, 0);
    await ctx.db.$transaction((tx) => recordAudit(tx, {
      storeId: r.staff.storeId, actorStaffId: r.staff.staffId, action: 'report.exported', entity: 'report', entityId: viewParam(r.resolved.view),
      details: { what, filter: r.query.filter, format, period, view: viewParam(r.resolved.view), rows }, at: ctx.clock.now(),
    }));
    ctx.logger.info({ staffId: r.staff.staffId, what, format, rows }, 'report exported');
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(file.body);
  });
}
