/**
 * Calendar facts for customer journeys: birthdays (Gregorian or Chinese lunar), ages, the yearly
 * holiday greeting dates and Chinese working days (official holidays and 调休 make-up days).
 *
 * Every date is a calendar date `YYYY-MM-DD` with no time zone. Callers turn "now" into the
 * store's local date first (`localDate` in ./local-time.ts) and pass that in. Lunar conversion and
 * holiday data come from tyme4ts (6tail's successor of lunar-javascript).
 *
 * @module
 */
import { LegalHoliday, LunarDay, LunarMonth, SolarDay } from 'tyme4ts';

/** Which calendar a customer keeps their birthday in. */
export type BirthdayCalendar = 'GREGORIAN' | 'LUNAR';

/** A holiday on which the store may send greetings. */
export type GreetingHoliday = 'SPRING_FESTIVAL' | 'MID_AUTUMN' | 'NATIONAL_DAY';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a `YYYY-MM-DD` calendar date, throwing a RangeError for anything else (e.g. 2025-02-29). */
function parseDate(date: string): SolarDay {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    try {
      return SolarDay.fromYmd(Number(match[1]), Number(match[2]), Number(match[3]));
    } catch {
      // reported below
    }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function format(day: SolarDay): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(day.getYear(), 4)}-${pad(day.getMonth(), 2)}-${pad(day.getDay(), 2)}`;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`Not a year: ${year}`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The Gregorian anniversary in `year`; 29 February becomes 28 February in a non-leap year. */
function gregorianAnniversary(birth: SolarDay, year: number): string {
  const month = birth.getMonth();
  const day = month === 2 && birth.getDay() === 29 && !isLeapYear(year) ? 28 : birth.getDay();
  return format(SolarDay.fromYmd(year, month, day));
}

/**
 * The Gregorian date of lunar `month`/`day` in lunar year `lunarYear`, always in the regular
 * (non-leap) month of that number, and on its last day (29) when the month is too short for `day`.
 */
function lunarAnniversary(lunarYear: number, month: number, day: number): string {
  const lunarMonth = LunarMonth.fromYm(lunarYear, month);
  return format(LunarDay.fromYmd(lunarYear, month, Math.min(day, lunarMonth.getDayCount())).getSolarDay());
}

/**
 * The first birthday of a customer on or after `fromDate` (possibly `fromDate` itself).
 *
 * Unlike {@link birthdayInYear}, this never skips or repeats a lunar birthday, so schedulers that
 * walk forward in time should prefer it. Rules as in {@link birthdayInYear}.
 *
 * @param birthDate - the Gregorian date of birth, `YYYY-MM-DD`
 * @param calendar - the calendar the customer keeps their birthday in
 * @param fromDate - the earliest date to return, `YYYY-MM-DD` (the store's local date)
 * @returns the Gregorian date of that birthday, `YYYY-MM-DD`
 * @throws RangeError if a date is not a valid `YYYY-MM-DD` calendar date
 */
export function nextBirthdayOnOrAfter(birthDate: string, calendar: BirthdayCalendar, fromDate: string): string {
  const birth = parseDate(birthDate);
  const from = parseDate(fromDate);
  const year = from.getYear();
  if (calendar === 'GREGORIAN') {
    const thisYear = gregorianAnniversary(birth, year);
    return thisYear >= fromDate ? thisYear : gregorianAnniversary(birth, year + 1);
  }
  const lunarBirth = birth.getLunarDay();
  // tyme4ts numbers a leap month negatively (闰二月 = -2): celebrate in the regular month instead.
  const month = Math.abs(lunarBirth.getMonth());
  // Lunar year Y runs from late January/February of Gregorian Y into January/February of Y + 1,
  // so only lunar years Y - 1, Y and Y + 1 can hold the first occurrence on or after `fromDate`.
  const candidates = [year - 1, year, year + 1].map((lunarYear) => lunarAnniversary(lunarYear, month, lunarBirth.getDay()));
  const next = candidates.find((date) => date >= fromDate);
  if (next === undefined) throw new Error(`No lunar birthday found after ${fromDate}`); // unreachable: the last candidate is in Y + 1 or Y + 2
  return next;
}

/**
 * The Gregorian date on which a customer's birthday falls in Gregorian year `year`.
 *
 * - GREGORIAN: the same month and day; 29 February becomes 28 February in a non-leap year.
 * - LUNAR: the lunar month and day of `birthDate` (Chinese calendar), placed in the regular
 *   (non-leap) month of that number; a birth in a leap month (闰月) is celebrated in the regular
 *   month of the same number, even in years that repeat that month again; lunar day 30 becomes
 *   day 29 in a year whose month has only 29 days.
 *
 * Precisely, the result is the first birthday on or after 1 January of `year`. For GREGORIAN and
 * for lunar months 1–10 that is the one occurrence inside `year`. A lunar birthday in the 11th or
 * 12th lunar month can occur twice in one Gregorian year (January and December, e.g. lunar 11/20
 * in 2026: 2026-01-08 and 2026-12-28): the first one is returned. It can also miss a Gregorian
 * year (lunar 11/20: 2024-12-20, then 2026-01-08, nothing in 2025): then the first one after the
 * year is returned, in January of `year + 1`. Use {@link nextBirthdayOnOrAfter} to see every one.
 * The year of birth is not checked: for earlier years the result is where the date would fall.
 *
 * @param birthDate - the Gregorian date of birth, `YYYY-MM-DD`
 * @param calendar - the calendar the customer keeps their birthday in
 * @param year - the Gregorian year
 * @returns the Gregorian date, `YYYY-MM-DD`
 * @throws RangeError if `birthDate` is not a valid date or `year` not an integer in 1–9999
 */
export function birthdayInYear(birthDate: string, calendar: BirthdayCalendar, year: number): string {
  checkYear(year);
  return nextBirthdayOnOrAfter(birthDate, calendar, `${String(year).padStart(4, '0')}-01-01`);
}

/**
 * A person's age in completed years on `onDate`. Someone born on 29 February turns a year older
 * on 28 February in a non-leap year, consistent with the GREGORIAN rule of {@link birthdayInYear}.
 *
 * @param birthDate - the Gregorian date of birth, `YYYY-MM-DD`
 * @param onDate - the date to measure on, `YYYY-MM-DD` (the store's local date)
 * @returns completed years, 0 on the day of birth
 * @throws RangeError if a date is invalid or `onDate` is before `birthDate`
 */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = parseDate(birthDate);
  const on = parseDate(onDate);
  if (onDate < birthDate) throw new RangeError(`${onDate} is before the date of birth ${birthDate}`);
  const years = on.getYear() - birth.getYear();
  return onDate >= gregorianAnniversary(birth, on.getYear()) ? years : years - 1;
}

/**
 * The Gregorian dates of the greeting holidays in Gregorian `year`, by date (ties in the order
 * Spring Festival, Mid-Autumn, National Day): Spring Festival is lunar 1/1 and Mid-Autumn lunar
 * 8/15 of the lunar year that starts in `year` (both always fall inside `year`), National Day is
 * 1 October. Only the day itself; the days off around it are {@link isChineseWorkingDay}'s concern.
 *
 * @param year - the Gregorian year
 * @throws RangeError if `year` is not an integer in 1–9999
 */
export function holidayGreetingDates(year: number): { holiday: GreetingHoliday; date: string }[] {
  checkYear(year);
  const dates: { holiday: GreetingHoliday; date: string }[] = [
    { holiday: 'SPRING_FESTIVAL', date: format(LunarDay.fromYmd(year, 1, 1).getSolarDay()) },
    { holiday: 'MID_AUTUMN', date: format(LunarDay.fromYmd(year, 8, 15).getSolarDay()) },
    { holiday: 'NATIONAL_DAY', date: format(SolarDay.fromYmd(year, 10, 1)) },
  ];
  return dates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Whether tyme4ts has the official holiday schedule (国务院办公厅 notice) for Gregorian `year`,
 * judged by New Year's Day (1 January) being listed, as every notice includes it. With tyme4ts
 * 1.5.2 that is 2002–2026; a newer tyme4ts release adds the next year once it is published
 * (usually in November). Outside those years {@link isChineseWorkingDay} falls back to Mon–Fri.
 */
export function hasChineseHolidayData(year: number): boolean {
  checkYear(year);
  return LegalHoliday.fromYmd(year, 1, 1) !== null;
}

/**
 * Whether `date` is a working day in mainland China: a day the library lists as an official
 * holiday is off, a day it lists as a 调休 make-up day is a working day (even on a weekend), and
 * any other day is a working day from Monday to Friday.
 *
 * Data: tyme4ts's LegalHoliday table (see {@link hasChineseHolidayData}: 2002–2026 with tyme4ts
 * 1.5.2). For a year without data this is the plain Mon–Fri rule, so Spring Festival or National
 * Day of such a year count as working days when they fall on weekdays; upgrade tyme4ts each
 * November to pick up the next year. A 调休 day late in December that belongs to the next year's
 * New Year holiday is only known once that next year's notice is in the data.
 *
 * @param date - `YYYY-MM-DD`
 * @throws RangeError if `date` is not a valid calendar date
 */
export function isChineseWorkingDay(date: string): boolean {
  const day = parseDate(date);
  const official = LegalHoliday.fromYmd(day.getYear(), day.getMonth(), day.getDay());
  if (official) return official.isWork();
  const weekday = day.getWeek().getIndex(); // 0 = Sunday … 6 = Saturday
  return weekday !== 0 && weekday !== 6;
}

/**
 * The first Chinese working day strictly after `date` (see {@link isChineseWorkingDay} for the
 * data and the Mon–Fri fallback), e.g. 2025-10-09 after any day of the 2025-10-01..08 holiday.
 *
 * @param date - `YYYY-MM-DD`
 * @returns `YYYY-MM-DD`
 * @throws RangeError if `date` is not a valid calendar date
 */
export function nextChineseWorkingDay(date: string): string {
  let day = parseDate(date);
  // The longest official break is 9 days off in a row; 31 days is a generous bound.
  for (let i = 0; i < 31; i += 1) {
    day = day.next(1);
    const candidate = format(day);
    if (isChineseWorkingDay(candidate)) return candidate;
  }
  throw new Error(`No working day within 31 days after ${date}`);
}
