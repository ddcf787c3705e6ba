import { describe, expect, it } from 'vitest';
import {
  ageOn,
  birthdayInYear,
  hasChineseHolidayData,
  holidayGreetingDates,
  isChineseWorkingDay,
  nextBirthdayOnOrAfter,
  nextChineseWorkingDay,
} from '../../../core/journeys/calendar-dates.ts';

// Expected dates are checked against published Chinese calendars and the State Council holiday
// notices, not only against tyme4ts.

describe('birthdayInYear, GREGORIAN', () => {
  it('keeps month and day', () => {
    expect(birthdayInYear('1990-07-15', 'GREGORIAN', 2026)).toBe('2026-07-15');
    expect(birthdayInYear('1990-12-31', 'GREGORIAN', 2027)).toBe('2027-12-31');
  });

  it('moves 29 February to 28 February in non-leap years only', () => {
    expect(birthdayInYear('2000-02-29', 'GREGORIAN', 2025)).toBe('2025-02-28');
    expect(birthdayInYear('2000-02-29', 'GREGORIAN', 2028)).toBe('2028-02-29');
    expect(birthdayInYear('2000-02-29', 'GREGORIAN', 2100)).toBe('2100-02-28'); // not a leap year
  });
});

describe('birthdayInYear, LUNAR', () => {
  it('gives the birth date itself in the year of birth', () => {
    expect(birthdayInYear('1988-09-15', 'LUNAR', 1988)).toBe('1988-09-15');
    expect(birthdayInYear('2024-01-01', 'LUNAR', 2024)).toBe('2024-01-01');
  });

  it('follows lunar 12/20 across the Gregorian new year (born 1990-01-16, 己巳年腊月二十)', () => {
    expect(birthdayInYear('1990-01-16', 'LUNAR', 2026)).toBe('2026-02-07');
    expect(birthdayInYear('1990-01-16', 'LUNAR', 2027)).toBe('2027-01-27');
  });

  it('celebrates a leap-month birth in the regular month of that number', () => {
    // 2023-04-01 is 癸卯年闰二月十一; regular 2/11 is 2025-03-10 and 2026-03-29.
    expect(birthdayInYear('2023-04-01', 'LUNAR', 2025)).toBe('2025-03-10');
    expect(birthdayInYear('2023-04-01', 'LUNAR', 2026)).toBe('2026-03-29');
    // 2025-08-01 is 乙巳年闰六月初八; regular 6/8 of 2026 is 2026-07-21.
    expect(birthdayInYear('2025-08-01', 'LUNAR', 2026)).toBe('2026-07-21');
    // 1990-07-15 is 庚午年闰五月廿三, so even in 1990 it is regular 5/23 = 1990-06-15.
    expect(birthdayInYear('1990-07-15', 'LUNAR', 1990)).toBe('1990-06-15');
  });

  it('uses the regular month even in a year that repeats it', () => {
    // Born 2023-03-02 (regular 2/11) and 2023-04-01 (闰2/11): both celebrate on regular 2/11 in 2023.
    expect(birthdayInYear('2023-03-02', 'LUNAR', 2023)).toBe('2023-03-02');
    expect(birthdayInYear('2023-04-01', 'LUNAR', 2023)).toBe('2023-03-02');
  });

  it('turns lunar day 30 into day 29 when the month is short (born 1990-01-26, 除夕 腊月三十)', () => {
    expect(birthdayInYear('1990-01-26', 'LUNAR', 2024)).toBe('2024-02-09'); // 腊月三十 exists
    expect(birthdayInYear('1990-01-26', 'LUNAR', 2025)).toBe('2025-01-28'); // only 二十九
    expect(birthdayInYear('1990-01-26', 'LUNAR', 2026)).toBe('2026-02-16'); // only 二十九
  });

  it('takes the first of two occurrences and the next one when a year has none (lunar 11/20)', () => {
    // Born 2024-01-01 = 癸卯年冬月二十. Occurrences: 2024-01-01, 2024-12-20, 2026-01-08, 2026-12-28.
    expect(birthdayInYear('2024-01-01', 'LUNAR', 2024)).toBe('2024-01-01');
    expect(birthdayInYear('2024-01-01', 'LUNAR', 2025)).toBe('2026-01-08');
    expect(birthdayInYear('2024-01-01', 'LUNAR', 2026)).toBe('2026-01-08');
  });
});

describe('nextBirthdayOnOrAfter', () => {
  it('walks every lunar occurrence, including both in one Gregorian year', () => {
    expect(nextBirthdayOnOrAfter('2024-01-01', 'LUNAR', '2024-01-02')).toBe('2024-12-20');
    expect(nextBirthdayOnOrAfter('2024-01-01', 'LUNAR', '2024-12-20')).toBe('2024-12-20');
    expect(nextBirthdayOnOrAfter('2024-01-01', 'LUNAR', '2024-12-21')).toBe('2026-01-08');
    expect(nextBirthdayOnOrAfter('2024-01-01', 'LUNAR', '2026-01-09')).toBe('2026-12-28');
  });

  it('rolls a Gregorian birthday over to the next year once passed', () => {
    expect(nextBirthdayOnOrAfter('2000-02-29', 'GREGORIAN', '2025-02-28')).toBe('2025-02-28');
    expect(nextBirthdayOnOrAfter('2000-02-29', 'GREGORIAN', '2027-03-01')).toBe('2028-02-29');
  });
});

describe('ageOn', () => {
  it('counts completed years around the birthday', () => {
    expect(ageOn('1990-07-15', '2026-07-14')).toBe(35);
    expect(ageOn('1990-07-15', '2026-07-15')).toBe(36);
    expect(ageOn('1990-07-15', '2026-12-31')).toBe(36);
    expect(ageOn('1990-07-15', '1990-07-15')).toBe(0);
  });

  it('ages someone born on 29 February on 28 February in non-leap years', () => {
    expect(ageOn('2000-02-29', '2025-02-27')).toBe(24);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2028-02-28')).toBe(27);
    expect(ageOn('2000-02-29', '2028-02-29')).toBe(28);
  });

  it('refuses a date before birth and invalid dates', () => {
    expect(() => ageOn('1990-07-15', '1990-07-14')).toThrow(RangeError);
    expect(() => ageOn('2025-02-29', '2026-01-01')).toThrow(/Not a calendar date/);
    expect(() => birthdayInYear('15.07.1990', 'LUNAR', 2026)).toThrow(RangeError);
    expect(() => birthdayInYear('1990-07-15', 'GREGORIAN', 2026.5)).toThrow(RangeError);
  });
});

describe('holidayGreetingDates', () => {
  it.each([
    [2025, '2025-01-29', '2025-10-06'],
    [2026, '2026-02-17', '2026-09-25'],
    [2027, '2027-02-06', '2027-09-15'],
  ])('knows %i', (year, spring, midAutumn) => {
    const dates = holidayGreetingDates(year);
    expect(dates).toHaveLength(3);
    expect(dates).toContainEqual({ holiday: 'SPRING_FESTIVAL', date: spring });
    expect(dates).toContainEqual({ holiday: 'MID_AUTUMN', date: midAutumn });
    expect(dates).toContainEqual({ holiday: 'NATIONAL_DAY', date: `${year}-10-01` });
  });

  it('lists them by date', () => {
    expect(holidayGreetingDates(2025).map((d) => d.holiday)).toEqual(['SPRING_FESTIVAL', 'NATIONAL_DAY', 'MID_AUTUMN']);
    expect(holidayGreetingDates(2026).map((d) => d.holiday)).toEqual(['SPRING_FESTIVAL', 'MID_AUTUMN', 'NATIONAL_DAY']);
    // 2020: Mid-Autumn fell on National Day itself.
    expect(holidayGreetingDates(2020).map((d) => d.date)).toEqual(['2020-01-25', '2020-10-01', '2020-10-01']);
  });
});

describe('Chinese working days', () => {
  it('knows the 2025 National Day / Mid-Autumn holiday and its 调休 days', () => {
    for (let day = 1; day <= 8; day += 1) expect(isChineseWorkingDay(`2025-10-0${day}`)).toBe(false);
    expect(isChineseWorkingDay('2025-09-28')).toBe(true); // Sunday, 调休
    expect(isChineseWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休
    expect(isChineseWorkingDay('2025-10-09')).toBe(true); // Thursday
    expect(isChineseWorkingDay('2025-10-12')).toBe(false); // Sunday
    expect(isChineseWorkingDay('2025-09-30')).toBe(true); // Tuesday
  });

  it('knows the 2026 Spring Festival holiday (2026-02-15..23, 调休 on 02-14 and 02-28)', () => {
    expect(isChineseWorkingDay('2026-02-14')).toBe(true);
    expect(isChineseWorkingDay('2026-02-16')).toBe(false); // Monday
    expect(isChineseWorkingDay('2026-02-23')).toBe(false); // Monday
    expect(isChineseWorkingDay('2026-02-24')).toBe(true);
    expect(isChineseWorkingDay('2026-02-28')).toBe(true); // Saturday
  });

  it('finds the next working day across holidays and 调休 weekends', () => {
    expect(nextChineseWorkingDay('2025-09-30')).toBe('2025-10-09');
    expect(nextChineseWorkingDay('2025-10-01')).toBe('2025-10-09');
    expect(nextChineseWorkingDay('2025-09-26')).toBe('2025-09-28'); // Friday → 调休 Sunday
    expect(nextChineseWorkingDay('2025-10-10')).toBe('2025-10-11'); // Friday → 调休 Saturday
    expect(nextChineseWorkingDay('2025-10-11')).toBe('2025-10-13'); // → Monday
  });

  it('says which years have official data', () => {
    expect(hasChineseHolidayData(2001)).toBe(false);
    expect(hasChineseHolidayData(2002)).toBe(true);
    expect(hasChineseHolidayData(2026)).toBe(true);
    expect(hasChineseHolidayData(2100)).toBe(false);
  });

  it('falls back to Monday to Friday in a year without data', () => {
    expect(isChineseWorkingDay('2100-01-01')).toBe(true); // Friday, no New Year data
    expect(isChineseWorkingDay('2100-01-02')).toBe(false); // Saturday
    expect(nextChineseWorkingDay('2100-01-01')).toBe('2100-01-04'); // → Monday
  });
});
