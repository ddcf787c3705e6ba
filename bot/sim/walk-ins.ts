import { DateTime } from 'luxon';
import { holidayGreetingDates, isChineseWorkingDay } from '../../core/journeys/calendar-dates.ts';
import type { SimRandom } from './random.ts';

/**
 * Walk-in parties of a 4S store by day and hour, as the handbooks describe showroom traffic:
 * weekends about twice a weekday, public holidays (a non-working weekday: Spring Festival,
 * National Day's golden week) busier still, the Spring Festival eve and first days nearly empty;
 * arrivals from opening (09:00) to 18:00 with a late-morning and an afternoon peak.
 */
const WEEKDAY_MEAN = 11;
const WEEKEND_MEAN = 22;
const HOLIDAY_MEAN = 26;
/** Relative arrivals per local hour, 09:00 to 17:00. */
const HOURS: Readonly<Record<string, number>> = { 9: 4, 10: 9, 11: 8, 12: 4, 13: 6, 14: 9, 15: 9, 16: 7, 17: 4 };

/** The mean number of walk-in parties on a local date at a store of average size (`scale` 1). */
export function walkInMean(date: string, scale: number): number {
  const day = DateTime.fromISO(date);
  const monthDay = day.toFormat('MM-dd');
  const weekend = day.weekday >= 6;
  const working = isChineseWorkingDay(date);
  let mean = !working && !weekend ? HOLIDAY_MEAN : weekend && !working ? WEEKEND_MEAN : WEEKDAY_MEAN;
  if (isSpringFestivalLull(date)) mean = 2;
  if (monthDay === '12-31') mean *= 0.6;
  return mean * scale;
}

/** The instants (ms) the day's walk-in parties arrive at the store. */
export function walkInTimes(random: SimRandom, date: string, timeZone: string, scale: number): number[] {
  const count = random.poisson(walkInMean(date, scale));
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const hour = Number(random.weighted(HOURS));
    times.push(DateTime.fromISO(date, { zone: timeZone }).set({ hour, minute: random.int(0, 59), second: random.int(0, 59) }).toMillis());
  }
  return times.sort((a, b) => a - b);
}

/** Spring Festival's eve and first three days (lunar 12/30 to 1/3): most showrooms close or see almost nobody. */
function isSpringFestivalLull(date: string): boolean {
  const day = DateTime.fromISO(date);
  const festival = holidayGreetingDates(day.year).find((h) => h.holiday === 'SPRING_FESTIVAL')?.date ?? '';
  const diff = day.diff(DateTime.fromISO(festival), 'days').days;
  return diff >= -1 && diff <= 2;
}
