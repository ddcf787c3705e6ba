import { customersOfStore } from '../customers/customers-of-store.ts';
import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import { consentsInForce } from '../consent/consent-status.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { ageOn, holidayGreetingDates, nextBirthdayOnOrAfter, type GreetingHoliday } from './calendar-dates.ts';
import { parseJourneySettings } from './journey-settings.ts';
import { customerVariables, queueJourneyMessage } from './journey-message.ts';
import { addDays, atLocalTime, endOfLocalDay, localDate } from './local-time.ts';

/** Marketing priorities when greetings collide on a day: a birthday beats a holiday. */
export const PRIORITY = { birthday: 20, holiday: 10 } as const;

const HOLIDAY_NAMES: Record<GreetingHoliday, Record<Locale, string>> = {
  SPRING_FESTIVAL: { 'zh-CN': '春节', en: 'Spring Festival' },
  MID_AUTUMN: { 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' },
  NATIONAL_DAY: { 'zh-CN': '国庆节', en: 'National Day' },
};

/** The store's customers who have marketing consent in force (greetings are marketing). */
async function consentingCustomers(db: Database, storeId: string) {
  const customers = await db.customer.findMany({
    where: customersOfStore(storeId),
    select: { id: true, birthday: true, birthdayCalendar: true },
  });
  const consents = await consentsInForce(db, customers.map((c) => c.id));
  return customers.filter((c) => consents.get(`${c.id}:MARKETING`) === true);
}

/**
 * Daily just after midnight (store time): queues today's birthday greetings, Gregorian or lunar
 * as each customer chose, at the greeting hour, stale at the end of the day; never to anyone
 * under the minimum age. A lunar birthday can fall twice in a Gregorian year, so keys are
 * `birthday:<customer>:<date>`; a second run is a no-op.
 */
export function birthdayJob(db: Database, _clock: Clock, logger: Logger, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `birthdays:${store.id}`, cron: '5 0 * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 12 * 3600_000,
    async run(slot) {
      const today = localDate(slot, store.timeZone);
      const settings = parseJourneySettings((await db.store.findUniqueOrThrow({ where: { id: store.id } })).journeySettings);
      let queued = 0;
      for (const customer of await consentingCustomers(db, store.id)) {
        if (!customer.birthday || customer.birthday > today || nextBirthdayOnOrAfter(customer.birthday, customer.birthdayCalendar, today) !== today) continue;
        if (ageOn(customer.birthday, today) < settings.greetingMinAge) continue;
        await db.$transaction(async (tx) => {
          const { locale, variables } = await customerVariables(tx, store.id, customer.id, null);
          if (await queueJourneyMessage(tx, {
            dedupeKey: `birthday:${customer.id}:${today}`, storeId: store.id, customerId: customer.id, kind: 'birthday_greeting',
            purpose: 'MARKETING', priority: PRIORITY.birthday, locale, variables,
            sendAt: atLocalTime(today, settings.greetingTime, store.timeZone), expiresAt: endOfLocalDay(today, store.timeZone),
          })) queued += 1;
        });
      }
      logger.info({ storeId: store.id, date: today, queued }, 'birthday greetings queued');
    },
  };
}

/**
 * Daily: on the day that is `holidayDaysBefore` before Spring Festival, Mid-Autumn or National
 * Day (dates from the lunar calendar library; they move every year), queues a greeting to every
 * consenting customer. Keys `holiday:<holiday>:<year>:<customer>`.
 */
export function holidayJob(db: Database, _clock: Clock, logger: Logger, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `holidays:${store.id}`, cron: '10 0 * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 12 * 3600_000,
    async run(slot) {
      const today = localDate(slot, store.timeZone);
      const year = Number(today.slice(0, 4));
      const settings = parseJourneySettings((await db.store.findUniqueOrThrow({ where: { id: store.id } })).journeySettings);
      const due = [...holidayGreetingDates(year), ...holidayGreetingDates(year + 1)].filter((h) => addDays(h.date, -settings.holidayDaysBefore) === today);
      for (const holiday of due) {
        let queued = 0;
        for (const customer of await consentingCustomers(db, store.id)) {
          await db.$transaction(async (tx) => {
            const { locale, variables } = await customerVariables(tx, store.id, customer.id, null);
            if (await queueJourneyMessage(tx, {
              dedupeKey: `holiday:${holiday.holiday}:${holiday.date.slice(0, 4)}:${customer.id}`, storeId: store.id, customerId: customer.id,
              kind: 'holiday_greeting', purpose: 'MARKETING', priority: PRIORITY.holiday, locale,
              variables: { ...variables, holidayName: HOLIDAY_NAMES[holiday.holiday][locale] },
              sendAt: atLocalTime(today, settings.greetingTime, store.timeZone), expiresAt: endOfLocalDay(holiday.date, store.timeZone),
            })) queued += 1;
          });
        }
        logger.info({ storeId: store.id, holiday: holiday.holiday, date: holiday.date, queued }, 'holiday greetings queued');
      }
    },
  };
}
