import { DateTime } from 'luxon';

/** The length of a report: a local day, a week (Monday to Sunday), a calendar month, or any run of days. */
export type PeriodKind = 'day' | 'week' | 'month' | 'custom';
export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'custom'];

/**
 * A report period as calendar dates, independent of any time zone: `start` and `end` are the
 * first and last local dates (`YYYY-MM-DD`, both inclusive). Each store reads it in its own time
 * zone ({@link periodRange}), so a visit at 23:30 local time belongs to that local day.
 */
export interface ReportPeriod {
  kind: PeriodKind;
  start: string;
  end: string;
}

/** A custom period may span at most this many days (a year and a leap day). */
export const MAX_CUSTOM_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period that cannot be read: the field and what to fix. */
export class PeriodError extends Error {
  constructor(readonly field: 'kind' | 'date' | 'from' | 'to', message: string) {
    super(`${field} ${message}`);
    this.name = 'PeriodError';
  }
}

function day(text: string, field: PeriodError['field']): DateTime {
  const parsed = DATE.test(text) ? DateTime.fromISO(text, { zone: 'UTC' }) : null;
  if (!parsed || !parsed.isValid) throw new PeriodError(field, `must be a date YYYY-MM-DD (got "${text.slice(0, 20)}")`);
  return parsed;
}

const iso = (d: DateTime): string => d.toISODate() as string;

/**
 * The period of `kind` that contains local date `date`: that day; its week, Monday to Sunday
 * (ISO weeks, as Chinese dealers count them); its calendar month. A custom period runs from
 * `date` to `to` (inclusive), at most {@link MAX_CUSTOM_DAYS} days.
 *
 * @throws PeriodError naming the bad field
 */
export function periodOf(kind: string, date: string, to?: string): ReportPeriod {
  const anchor = day(date, kind === 'custom' ? 'from' : 'date');
  switch (kind) {
    case 'day': return { kind, start: iso(anchor), end: iso(anchor) };
    case 'week': return { kind, start: iso(anchor.startOf('week')), end: iso(anchor.endOf('week')) };
    case 'month': return { kind, start: iso(anchor.startOf('month')), end: iso(anchor.endOf('month')) };
    case 'custom': {
      const last = day(to ?? '', 'to');
      if (last < anchor) throw new PeriodError('to', 'must not be before the start date');
      if (last.diff(anchor, 'days').days + 1 > MAX_CUSTOM_DAYS) throw new PeriodError('to', `must be at most ${MAX_CUSTOM_DAYS} days after the start date`);
      return { kind, start: iso(anchor), end: iso(last) };
    }
    default:
      throw new PeriodError('kind', `must be one of ${PERIOD_KINDS.join(', ')} (got "${kind.slice(0, 20)}")`);
  }
}

/** The period of `kind` containing the local date of `instant` in `timeZone` (today's, this week's…). */
export function currentPeriod(kind: Exclude<PeriodKind, 'custom'>, instant: Date, timeZone: string): ReportPeriod {
  return periodOf(kind, DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() as string);
}

/** The instants a period spans in a time zone: [from, to), from local midnight of `start` to local midnight after `end` (DST-aware). */
export function periodRange(period: ReportPeriod, timeZone: string): { from: Date; to: Date } {
  const from = DateTime.fromISO(period.start, { zone: timeZone });
  if (!from.isValid) throw new PeriodError('date', `cannot be read in time zone "${timeZone}"`);
  return { from: from.toJSDate(), to: DateTime.fromISO(period.end, { zone: timeZone }).plus({ days: 1 }).toJSDate() };
}

/** How many days a period has. */
export function periodDays(period: ReportPeriod): number {
  return day(period.end, 'to').diff(day(period.start, 'from'), 'days').days + 1;
}

/** The local dates of a period, in order. */
export function periodDates(period: ReportPeriod): string[] {
  const first = day(period.start, 'from');
  return Array.from({ length: periodDays(period) }, (_, i) => iso(first.plus({ days: i })));
}

/** The period just before: the day, week or month before; for a custom period, as many days ending the day before it starts. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const start = day(period.start, 'from');
  switch (period.kind) {
    case 'day': return periodOf('day', iso(start.minus({ days: 1 })));
    case 'week': return periodOf('week', iso(start.minus({ weeks: 1 })));
    case 'month': return periodOf('month', iso(start.minus({ months: 1 })));
    case 'custom': {
      const days = periodDays(period);
      return periodOf('custom', iso(start.minus({ days })), iso(start.minus({ days: 1 })));
    }
    default: return period.kind satisfies never;
  }
}

/** How many periods a trend shows, per kind (two weeks of days, two months of weeks, a year of months). */
const TREND_LENGTH: Record<Exclude<PeriodKind, 'custom'>, number> = { day: 14, week: 8, month: 12 };
/** A custom period is trended by its days up to this many days, by its weeks up to the second number, by its months beyond. */
const CUSTOM_DAILY_UP_TO = 62;
const CUSTOM_WEEKLY_UP_TO = 183;

/**
 * The periods a trend chart shows for `period`, oldest first, ending with (or inside) it: the
 * last 14 days, 8 weeks or 12 months; a custom period split into its days (up to 62 days), the
 * weeks that touch it (up to 183 days) or its months, each cut to the period.
 */
export function trendPeriods(period: ReportPeriod): ReportPeriod[] {
  if (period.kind !== 'custom') {
    const out = [period];
    while (out.length < TREND_LENGTH[period.kind]) out.unshift(previousPeriod(out[0] as ReportPeriod));
    return out;
  }
  const days = periodDays(period);
  if (days <= CUSTOM_DAILY_UP_TO) return periodDates(period).map((date) => periodOf('day', date));
  const unit = days <= CUSTOM_WEEKLY_UP_TO ? 'week' : 'month';
  const parts: ReportPeriod[] = [];
  let part = periodOf(unit, period.start);
  while (part.start <= period.end) {
    parts.push({ kind: 'custom', start: part.start < period.start ? period.start : part.start, end: part.end > period.end ? period.end : part.end });
    part = periodOf(unit, iso(day(part.end, 'to').plus({ days: 1 })));
  }
  return parts;
}

/** The period as staff read it: `2026年11月22日`, `2026年11月16日–22日（第47周）`, `2026年11月`, `2026年11月1日–2026年11月22日`. */
export function periodLabel(period: ReportPeriod): string {
  const start = day(period.start, 'from');
  const end = day(period.end, 'to');
  const full = (d: DateTime) => d.toFormat('yyyy年M月d日');
  switch (period.kind) {
    case 'day': return full(start);
    case 'week': return `${full(start)}–${start.month === end.month ? end.toFormat('d日') : end.toFormat('M月d日')}（第${start.weekNumber}周）`;
    case 'month': return start.toFormat('yyyy年M月');
    case 'custom': return period.start === period.end ? full(start) : `${full(start)}–${full(end)}`;
    default: return period.kind satisfies never;
  }
}

/** A short label for a trend point: `11-22`, `第47周`, `11月`. */
export function trendLabel(period: ReportPeriod): string {
  const start = day(period.start, 'from');
  if (period.kind === 'week') return `第${start.weekNumber}周`;
  if (period.kind === 'month') return start.toFormat('yyyy-MM');
  return period.start === period.end ? start.toFormat('MM-dd') : `${start.toFormat('MM-dd')}~${day(period.end, 'to').toFormat('MM-dd')}`;
}
