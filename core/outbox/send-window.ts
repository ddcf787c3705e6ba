import { DateTime } from 'luxon';

/** A daily window of local wall-clock time, `HH:MM` to `HH:MM`; may cross midnight (22:00–06:00). */
export interface DailyWindow {
  start: string;
  end: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const match = HH_MM.exec(hhmm);
  if (!match) throw new Error(`A time of day must be HH:MM, e.g. 08:00 (got "${hhmm}")`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether `hhmm` is a valid time of day. */
export function isTimeOfDay(hhmm: string): boolean {
  return HH_MM.test(hhmm);
}

/** The last answer of `localMinuteOfDay`: a dispatch batch asks for one instant and zone many times. */
let lastMinute = { ms: NaN, timeZone: '', minute: 0 };

/** Minutes since local midnight of the instant in the IANA time zone. */
function localMinuteOfDay(instant: Date, timeZone: string): number {
  const ms = instant.getTime();
  if (lastMinute.ms !== ms || lastMinute.timeZone !== timeZone) {
    const local = DateTime.fromJSDate(instant, { zone: timeZone });
    lastMinute = { ms, timeZone, minute: local.hour * 60 + local.minute };
  }
  return lastMinute.minute;
}

/** Whether the instant falls inside the window, in the given IANA time zone. */
export function isInsideWindow(instant: Date, window: DailyWindow, timeZone: string): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  const minute = localMinuteOfDay(instant, timeZone);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The first instant at or after `instant` inside the window, in the store's time zone. A start
 * that falls into a daylight-saving gap moves forward with the clocks (Luxon's rule).
 */
export function nextInsideWindow(instant: Date, window: DailyWindow, timeZone: string): Date {
  if (isInsideWindow(instant, window, timeZone)) return instant;
  const startMinutes = minutesOf(window.start);
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  for (let dayOffset = 0; dayOffset <= 2; dayOffset += 1) {
    const day = local.plus({ days: dayOffset });
    const candidate = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: Math.floor(startMinutes / 60), minute: startMinutes % 60 },
      { zone: timeZone },
    );
    if (candidate.toMillis() > instant.getTime()) return candidate.toJSDate();
  }
  throw new Error(`No opening of ${window.start}–${window.end} in ${timeZone} after ${instant.toISOString()}`);
}
