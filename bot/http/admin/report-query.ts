import { DateTime } from 'luxon';
import type { ReportView } from '../../../core/reports/report-access.ts';
import { periodOf, type PeriodError, type ReportPeriod } from '../../../core/reports/report-period.ts';
import { formText } from '../form-fields.ts';

/** What the report page, a list and an export are asked for (query string or form). */
export interface ReportQuery {
  period: ReportPeriod;
  /** Null: the actor's default view. */
  view: ReportView | null;
  list: string;
  filter: string;
}

const field = (source: unknown, name: string, max = 64) => formText(source, name, { max });

/** `group`, `store:<id>`, `consultant:<id>` → a view; anything else → null (the default). */
export function parseView(text: string): ReportView | null {
  if (text === 'group') return { kind: 'group' };
  const [kind, id] = text.split(':');
  if (kind === 'store' && id) return { kind: 'store', storeId: id };
  if (kind === 'consultant' && id) return { kind: 'consultant', staffId: id };
  return null;
}

/** A view as the `view` parameter writes it. */
export function viewParam(view: ReportView): string {
  switch (view.kind) {
    case 'group': return 'group';
    case 'store': return `store:${view.storeId}`;
    case 'consultant': return `consultant:${view.staffId}`;
    default: return view satisfies never;
  }
}

/**
 * Reads the report parameters: `period` (day, week, month, custom; default week), `date` (the
 * day inside it; default yesterday in the store's zone: on Monday morning, last week), `from`
 * and `to` (custom), `view`, `list`, `filter`.
 *
 * @throws PeriodError naming what to fix
 */
export function parseReportQuery(source: unknown, now: Date, timeZone: string): ReportQuery {
  const kind = field(source, 'period', 10) || 'week';
  const yesterday = DateTime.fromJSDate(now, { zone: timeZone }).minus({ days: 1 }).toISODate() as string;
  const period = kind === 'custom'
    ? periodOf('custom', field(source, 'from', 10), field(source, 'to', 10))
    : periodOf(kind, field(source, 'date', 10) || yesterday);
  return { period, view: parseView(field(source, 'view', 80)), list: field(source, 'list', 20), filter: field(source, 'filter', 80) };
}

/** The query string of a report (and optionally a list) for links. */
export function reportParams(period: ReportPeriod, view: ReportView, extra: Record<string, string> = {}): string {
  const base: Record<string, string> = period.kind === 'custom'
    ? { period: 'custom', from: period.start, to: period.end }
    : { period: period.kind, date: period.start };
  return new URLSearchParams({ ...base, view: viewParam(view), ...extra }).toString();
}

/** What a period error says to staff, in Chinese. */
export function periodErrorText(error: PeriodError): string {
  switch (error.field) {
    case 'kind': return '请选择日报、周报、月报或自定义时段。';
    case 'date': return '日期格式不对，请用 年-月-日（例如 2026-11-22）。';
    case 'from': return '请填写自定义时段的开始日期（年-月-日）。';
    case 'to': return error.message.includes('366') ? '自定义时段最长 366 天。' : error.message.includes('before') ? '结束日期不能早于开始日期。' : '请填写自定义时段的结束日期（年-月-日）。';
    default: return error.field satisfies never;
  }
}
