import { DateTime } from 'luxon';

/** The instant of a local wall-clock time on a calendar date in a time zone (DST-aware). */
export function atLocalTime(date: string, hhmm: string, timeZone: string): Date {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return DateTime.fromISO(date, { zone: timeZone }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() as string;
}

/** A calendar date plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** The first instant of the local day after `date`: the end of `date`. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
}
