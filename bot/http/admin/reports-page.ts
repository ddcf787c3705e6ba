import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { buildReport, buildTrend, reportScope, type Report } from '../../../core/reports/build-report.ts';
import { viewChoices } from '../../../core/reports/report-access.ts';
import { isListName, reportList } from '../../../core/reports/report-lists.ts';
import { periodLabel, type ReportPeriod } from '../../../core/reports/report-period.ts';
import { reportTables, type ReportTable } from '../../../core/reports/report-tables.ts';
import type { TrendPoint } from '../../../core/reports/trend-figures.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { reportParams, viewParam } from './report-query.ts';
import { REPORTS_TITLE as TITLE, reportRequest, reportRequestOf, type ReportRequestContext } from './report-request.ts';

/** Rows a list page shows; the export has them all. */
export const LIST_PAGE_ROWS = 500;


/** The form that picks the view and the period, and the quick links (yesterday, last week…). */
async function controls(ctx: AppContext, r: ReportRequestContext): Promise<SafeHtml> {
  const choices = await viewChoices(ctx.db, r.staff);
  const current = viewParam(r.resolved.view);
  const p = r.query.period;
  const kinds = [['day', '日报'], ['week', '周报'], ['month', '月报'], ['custom', '自定义']] as const;
  return html`<form class="report-controls" method="get" action="/admin/reports">
<label>范围<select name="view">${choices.map((c) => html`<option value="${viewParam(c.view)}"${viewParam(c.view) === current ? html` selected` : ''}>${c.label}</option>`)}</select></label>
<label>周期<select name="period">${kinds.map(([k, label]) => html`<option value="${k}"${p.kind === k ? html` selected` : ''}>${label}</option>`)}</select></label>
<label>日期（日/周/月报）<input type="date" name="date" value="${p.kind === 'custom' ? '' : p.start}"></label>
<label>自定义：从<input type="date" name="from" value="${p.kind === 'custom' ? p.start : ''}"></label>
<label>到<input type="date" name="to" value="${p.kind === 'custom' ? p.end : ''}"></label>
<button type="submit">查看</button></form>`;
}

/** Export buttons: the report (or a list) as XLSX or CSV, posted (exports are audited). */
export function exportForms(period: ReportPeriod, r: ReportRequestContext, what: string, filter = ''): SafeHtml {
  const params = new URLSearchParams(reportParams(period, r.resolved.view, { what, filter }));
  const hidden = [...params.entries()].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<div class="exports">${(['xlsx', 'csv'] as const).map((format) => html`<form class="inline" method="post" action="/admin/reports/export">${hidden}<input type="hidden" name="format" value="${format}"><button type="submit" class="secondary" data-export="${format}">导出 ${format.toUpperCase()}</button></form>`)}</div>`;
}

function tableHtml(table: ReportTable, r: ReportRequestContext): SafeHtml {
  const cell = (c: ReportTable['rows'][number][number]) => {
    const text = c.v === null ? '' : String(c.v);
    return c.drill && c.v !== 0 ? html`<td><a href="/admin/reports/list?${reportParams(r.query.period, r.resolved.view, { list: c.drill.list, filter: c.drill.filter ?? '' })}" data-drill="${c.drill.list}">${text}</a></td>` : html`<td>${text}</td>`;
  };
  return html`<section class="report-table" data-table="${table.name}"><h2>${table.title}</h2>
<table><thead><tr>${table.columns.map((col) => html`<th>${col}</th>`)}</tr></thead>
<tbody>${table.rows.map((row) => html`<tr>${row.map(cell)}</tr>`)}</tbody></table></section>`;
}

/** The figures the charts draw, as JSON in a data block (no inline script: the CSP allows none). */
function chartData(report: Report, trend: readonly TrendPoint[]): SafeHtml {
  const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
  const data = {
    trend: {
      labels: trend.map((t) => t.label), registrations: trend.map((t) => t.registrations), walkInParties: trend.map((t) => t.walkInParties),
      followUps: trend.map((t) => t.followUps), orders: trend.map((t) => t.orders), complaints: trend.map((t) => t.complaints),
      retentionRate: trend.map((t) => pct(t.retentionRate)), answerRate: trend.map((t) => pct(t.answerRate)), averageScore: trend.map((t) => t.averageScore),
    },
    distribution: ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const).map((s) => report.callbacks.scores.distribution[s]),
    funnel: { labels: ['新线索', '已定级', '订车', '交车'], values: [report.funnel.registered, report.funnel.graded, report.funnel.ordered, report.funnel.delivered] },
    heardFrom: { labels: report.reception.byHeardFrom.map((b) => b.label), values: report.reception.byHeardFrom.map((b) => b.count) },
    complaints: { labels: report.complaints.byCategory.map((b) => b.label), values: report.complaints.byCategory.map((b) => b.count) },
  };
  // `<` escaped, so no text in the data can close the element.
  return trusted(`<script type="application/json" id="report-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
}

const CHARTS = [['trend-chart', '趋势：登记、跟进、订单、投诉'], ['rate-chart', '趋势：留存率、回复率（%）与平均分'], ['score-chart', '回访评分分布'], ['funnel-chart', '销售漏斗'], ['source-chart', '客户了解渠道'], ['complaint-chart', '投诉类别']] as const;

async function reportPage(ctx: AppContext, r: ReportRequestContext): Promise<string> {
  const req = reportRequestOf(r, ctx.clock.now());
  const [report, trend] = [await buildReport(ctx.db, req), await buildTrend(ctx.db, req)];
  const content = html`${await controls(ctx, r)}
<p class="report-scope" data-view="${viewParam(r.resolved.view)}" data-period="${r.query.period.kind}:${r.query.period.start}">${r.resolved.title} · ${periodLabel(r.query.period)}</p>
${exportForms(r.query.period, r, 'report')}
${chartData(report, trend)}
<div class="charts">${CHARTS.map(([id, label]) => html`<figure class="chart"><figcaption>${label}</figcaption><div class="chart-box"><canvas id="${id}" role="img" aria-label="${label}"></canvas></div></figure>`)}</div>
${reportTables(report, trend).map((t) => tableHtml(t, r))}
<script src="/assets/vendor/chart.umd.min.js" defer></script>`;
  return adminPage({ title: TITLE, staff: r.staff, content, script: 'report-charts.js' });
}

async function listPage(ctx: AppContext, r: ReportRequestContext): Promise<string> {
  const name = r.query.list;
  if (!isListName(name)) return adminPage({ title: TITLE, staff: r.staff, flash: { ok: false, text: '没有这个明细列表。' }, content: html`<p><a href="/admin/reports">返回报表</a></p>` });
  const list = await reportList(ctx.db, reportScope(reportRequestOf(r, ctx.clock.now())), r.staff, name, r.query.filter, LIST_PAGE_ROWS);
  const back = `/admin/reports?${reportParams(r.query.period, r.resolved.view)}`;
  const content = html`<p><a href="${back}">← 返回报表</a> · ${r.resolved.title} · ${periodLabel(r.query.period)}</p>
<h2>${list.title}（${list.rows.length}${list.truncated ? '+' : ''} 条）</h2>
${list.truncated ? html`<p class="hint">只显示前 ${LIST_PAGE_ROWS} 条，完整列表请导出。</p>` : ''}
${exportForms(r.query.period, r, name, r.query.filter)}
<table class="report-list" data-list="${name}"><thead><tr>${list.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${list.rows.map((row) => html`<tr>${row.map((v) => html`<td>${v === null ? '' : String(v)}</td>`)}</tr>`)}</tbody></table>`;
  return adminPage({ title: TITLE, staff: r.staff, content });
}

/** `/admin/reports`: the figures with charts and tables; `/admin/reports/list`: the rows behind a figure. */
export function registerReportsPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/reports', async (request, reply) => {
    const r = await reportRequest(ctx, request, reply, request.query);
    if (!r) return reply;
    return reply.type('text/html; charset=utf-8').send(await reportPage(ctx, r));
  });
  app.get('/admin/reports/list', async (request, reply) => {
    const r = await reportRequest(ctx, request, reply, request.query);
    if (!r) return reply;
    const body = await listPage(ctx, r);
    return reply.code(isListName(r.query.list) ? 200 : 404).type('text/html; charset=utf-8').send(body);
  });
}
