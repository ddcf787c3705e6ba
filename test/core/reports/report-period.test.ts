import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  periodDays, periodLabel, periodOf, periodRange, previousPeriod, PeriodError, trendLabel, trendPeriods, type ReportPeriod,
} from '../../../core/reports/report-period.ts';

describe('report periods (core/reports/report-period.ts)', () => {
  it('reads a day, a week from Monday to Sunday, a month and a custom run of days', () => {
    expect(periodOf('day', '2026-11-22')).toEqual({ kind: 'day', start: '2026-11-22', end: '2026-11-22' });
    // 22 November 2026 is a Sunday: its week began on Monday the 16th.
    expect(periodOf('week', '2026-11-22')).toEqual({ kind: 'week', start: '2026-11-16', end: '2026-11-22' });
    expect(periodOf('week', '2026-11-16')).toEqual({ kind: 'week', start: '2026-11-16', end: '2026-11-22' });
    expect(periodOf('week', '2026-12-31')).toEqual({ kind: 'week', start: '2026-12-28', end: '2027-01-03' });
    expect(periodOf('month', '2028-02-10')).toEqual({ kind: 'month', start: '2028-02-01', end: '2028-02-29' });
    expect(periodOf('custom', '2026-11-01', '2026-11-22')).toEqual({ kind: 'custom', start: '2026-11-01', end: '2026-11-22' });
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(() => periodOf('year', '2026-11-22')).toThrow(/kind must be one of day, week, month, custom/);
    expect(() => periodOf('day', '2026-02-30')).toThrow(PeriodError);
    expect(() => periodOf('day', '22/11/2026')).toThrow(/date must be a date YYYY-MM-DD/);
    expect(() => periodOf('custom', '2026-11-22', '2026-11-01')).toThrow(/to must not be before/);
    expect(() => periodOf('custom', '2025-01-01', '2026-11-01')).toThrow(/at most 366 days/);
    expect(() => periodOf('custom', '2026-11-01')).toThrow(/to must be a date/);
  });

  it('spans local midnights in the store time zone: a visit at 23:30 belongs to that day', () => {
    const { from, to } = periodRange(periodOf('day', '2026-11-20'), 'Asia/Shanghai');
    expect(from.toISOString()).toBe('2026-11-19T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    const visit = new Date('2026-11-20T15:30:00Z'); // 23:30 in Shanghai
    expect(visit >= from && visit < to).toBe(true);
  });

  it('follows daylight saving: the day clocks spring forward has 23 hours, a month starts at local midnight', () => {
    const { from, to } = periodRange(periodOf('day', '2026-03-08'), 'America/New_York');
    expect((to.getTime() - from.getTime()) / 3600_000).toBe(23);
    const month = periodRange(periodOf('month', '2026-11-05'), 'Asia/Shanghai');
    expect(month.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(month.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('steps back to the previous day, week, month, or as many days before a custom period', () => {
    expect(previousPeriod(periodOf('day', '2026-03-01'))).toEqual(periodOf('day', '2026-02-28'));
    expect(previousPeriod(periodOf('week', '2026-11-22'))).toEqual(periodOf('week', '2026-11-09'));
    expect(previousPeriod(periodOf('month', '2026-03-31'))).toEqual(periodOf('month', '2026-02-01'));
    expect(previousPeriod(periodOf('custom', '2026-11-10', '2026-11-19'))).toEqual(periodOf('custom', '2026-10-31', '2026-11-09'));
  });

  it('trends 14 days, 8 weeks, 12 months, and a custom period by days, weeks or months cut to it', () => {
    const months = trendPeriods(periodOf('month', '2026-11-05'));
    expect(months).toHaveLength(12);
    expect(months[0]?.start).toBe('2025-12-01');
    expect(months.map(trendLabel).at(-1)).toBe('2026-11');
    expect(trendPeriods(periodOf('day', '2026-11-22'))).toHaveLength(14);
    expect(trendPeriods(periodOf('week', '2026-11-22')).map(trendLabel)).toEqual(['第40周', '第41周', '第42周', '第43周', '第44周', '第45周', '第46周', '第47周']);
    expect(trendPeriods(periodOf('custom', '2026-11-01', '2026-11-22'))).toHaveLength(22);
    const weeks = trendPeriods(periodOf('custom', '2026-01-07', '2026-06-30'));
    expect(weeks[0]).toEqual({ kind: 'custom', start: '2026-01-07', end: '2026-01-11' });
    expect(weeks.at(-1)).toEqual({ kind: 'custom', start: '2026-06-29', end: '2026-06-30' });
    const byMonth = trendPeriods(periodOf('custom', '2025-12-15', '2026-11-30'));
    expect(byMonth).toHaveLength(12);
    expect(byMonth[0]).toEqual({ kind: 'custom', start: '2025-12-15', end: '2025-12-31' });
  });

  it('labels periods as staff read them', () => {
    expect(periodLabel(periodOf('day', '2026-11-22'))).toBe('2026年11月22日');
    expect(periodLabel(periodOf('week', '2026-11-22'))).toBe('2026年11月16日–22日（第47周）');
    expect(periodLabel(periodOf('month', '2026-11-22'))).toBe('2026年11月');
  });

  it('tiles time: consecutive periods of any kind share their boundary, and a custom trend covers its period exactly once', () => {
    const date = fc.date({ min: new Date('2001-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const zone = fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe');
    fc.assert(fc.property(fc.constantFrom('day', 'week', 'month'), date, zone, (kind, d, tz) => {
      const period = periodOf(kind, d);
      const before = previousPeriod(period);
      expect(periodRange(before, tz).to.getTime()).toBe(periodRange(period, tz).from.getTime());
      expect(period.start <= d && d <= period.end).toBe(true);
    }));
    fc.assert(fc.property(date, fc.integer({ min: 1, max: 366 }), (d, days) => {
      const end = new Date(Date.parse(`${d}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const period: ReportPeriod = periodOf('custom', d, end);
      const parts = trendPeriods(period);
      expect(parts[0]?.start).toBe(period.start);
      expect(parts.at(-1)?.end).toBe(period.end);
      expect(parts.reduce((n, p) => n + periodDays(p), 0)).toBe(periodDays(period));
    }));
  });
});
