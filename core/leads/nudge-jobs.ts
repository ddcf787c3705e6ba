import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import { isChineseWorkingDay } from '../journeys/calendar-dates.ts';
import { atLocalTime, endOfLocalDay, localDate } from '../journeys/local-time.ts';
import type { Logger } from '../logger.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';
import { isInsideWindow, isTimeOfDay } from '../outbox/send-window.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { todayList } from '../staff/today-list.ts';
import { parseLeadSettings } from './lead-settings.ts';
import { digestText, minimumText, overdueAlertText, overdueNudgeText, type NudgeLead } from './nudge-texts.ts';

/**
 * The store as the nudge jobs need it. Staff hours (HH:MM, from the Store row) set the cron of
 * the digest and the end-of-day reminder when the job is created; they default to the schema's
 * 08:30–18:30. Inside a run the hours are read afresh from the row.
 */
export interface NudgeStore {
  id: string;
  timeZone: string;
  staffHoursStart?: string;
  staffHoursEnd?: string;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Nudges one consultant may get in any hour (WeCom drops app messages past 30/min; people tune out far sooner). */
export const MAX_NUDGES_PER_HOUR = 4;
/** The end-of-day reminder goes this long before staff hours end, so it arrives in them with time left to act. */
export const MINIMUM_REMINDER_LEAD_MINUTES = 30;

/** A daily cron at `hhmm` minus `minusMinutes` (wrapping past midnight). */
export function dailyCron(hhmm: string | undefined, fallback: string, minusMinutes = 0): string {
  const [hour = 0, minute = 0] = (hhmm && isTimeOfDay(hhmm) ? hhmm : fallback).split(':').map(Number);
  const total = (((hour * 60 + minute - minusMinutes) % 1440) + 1440) % 1440;
  return `${total % 60} ${Math.floor(total / 60)} * * *`;
}

async function storeRow(db: Database, storeId: string) {
  const row = await db.store.findUniqueOrThrow({ where: { id: storeId }, select: { staffHoursStart: true, staffHoursEnd: true, leadSettings: true } });
  return { window: { start: row.staffHoursStart, end: row.staffHoursEnd }, settings: parseLeadSettings(row.leadSettings) };
}

/** Active consultants on duty, in a stable order. */
const consultantsOnDuty = (db: Database, storeId: string) =>
  db.staff.findMany({ where: { storeId, role: 'CONSULTANT', active: true, onDuty: true }, select: { id: true, name: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

/** The end of the store's local working day (staff hours end); the end of the day if that has passed. */
function endOfWorkingDay(date: string, end: string, timeZone: string, now: Date): Date {
  const at = atLocalTime(date, end, timeZone);
  return at > now ? at : endOfLocalDay(date, timeZone);
}

/**
 * At the start of staff hours on Chinese working days: one digest per active on-duty consultant
 * with today's due, overdue and ungraded leads and their open recall tickets; nothing to someone
 * with nothing to do. Key `digest:<staff>:<date>`; a slot missed by more than 2 h is skipped.
 */
export function morningDigestJob(db: Database, clock: Clock, logger: Logger, store: NudgeStore): CalendarJob {
  return {
    name: `lead-digest:${store.id}`, cron: dailyCron(store.staffHoursStart, '08:30'), timeZone: store.timeZone, missed: 'skip', graceMs: 2 * HOUR_MS,
    async run(slot) {
      const today = localDate(slot, store.timeZone);
      if (!isChineseWorkingDay(today)) {
        logger.info({ storeId: store.id, date: today }, 'lead digest skipped: not a working day');
        return;
      }
      const now = clock.now();
      const { window } = await storeRow(db, store.id);
      const expiresAt = endOfWorkingDay(today, window.end, store.timeZone, now);
      let queued = 0;
      for (const consultant of await consultantsOnDuty(db, store.id)) {
        const list = await todayList(db, clock, { storeId: store.id, staffId: consultant.id, role: 'CONSULTANT' });
        const tickets = await db.ticket.findMany({
          where: { storeId: store.id, type: 'RECALL', status: { not: 'CLOSED' }, consultantId: consultant.id },
          include: { customer: { select: { name: true } } }, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        });
        if (list.length === 0 && tickets.length === 0) continue;
        const text = digestText(list, tickets.map((t) => ({ reference: t.reference, customerName: t.customer?.name ?? null, dueAt: t.dueAt })), store.timeZone);
        if (await db.$transaction((tx) => enqueueIntent(tx, {
          dedupeKey: `digest:${consultant.id}:${today}`, storeId: store.id, staffId: consultant.id, purpose: 'STAFF', kind: 'lead_digest',
          message: { kind: 'text', text }, sendAt: now, expiresAt,
        }))) queued += 1;
      }
      logger.info({ storeId: store.id, date: today, queued }, 'lead digests queued');
    },
  };
}

/** The lead ids and creation instant a `lead_nudge` payload remembers. */
function nudgeMemo(payload: string): { at: number; leadIds: string[] } {
  const parsed = JSON.parse(payload) as { at?: string; leadIds?: unknown };
  return { at: parsed.at ? Date.parse(parsed.at) : 0, leadIds: Array.isArray(parsed.leadIds) ? parsed.leadIds.filter((id): id is string => typeof id === 'string') : [] };
}

const toNudgeLead = (lead: { grade: string; nextFollowUpAt: Date | null; customer: { name: string; phone: string }; owner?: { name: string } | null }): NudgeLead => ({
  customerName: lead.customer.name, maskedPhone: maskPhone(lead.customer.phone), grade: lead.grade, dueAt: lead.nextFollowUpAt as Date, ownerName: lead.owner?.name,
});

/**
 * Every 15 minutes inside staff hours: one batched nudge per consultant listing their H and A
 * leads whose follow-up time has passed and that no earlier nudge listed since that time (the
 * payload keeps `leadIds` and `at`); at most {@link MAX_NUDGES_PER_HOUR} nudges per consultant
 * per hour. Key `nudge:<staff>:<local YYYY-MM-DDTHH:mm of the slot>`. Also one alert a day per
 * active manager listing leads overdue by more than `overdueAlertDays` (`overdue-alert:<manager>:<date>`).
 */
export function overdueNudgeJob(db: Database, clock: Clock, logger: Logger, store: NudgeStore): CalendarJob {
  return {
    name: `lead-nudges:${store.id}`, cron: '*/15 * * * *', timeZone: store.timeZone, missed: 'skip', graceMs: 15 * 60_000,
    async run(slot) {
      const now = clock.now();
      const { window, settings } = await storeRow(db, store.id);
      if (!isInsideWindow(now, window, store.timeZone)) return;
      const today = localDate(slot, store.timeZone);
      const slotKey = DateTime.fromJSDate(slot, { zone: store.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
      const expiresAt = endOfWorkingDay(today, window.end, store.timeZone, now);
      const due = await db.lead.findMany({
        where: { storeId: store.id, pool: 'ACTIVE', grade: { in: ['H', 'A'] }, nextFollowUpAt: { lte: now }, owner: { role: 'CONSULTANT', active: true, onDuty: true } },
        include: { customer: { select: { name: true, phone: true } } }, orderBy: [{ nextFollowUpAt: 'asc' }, { id: 'asc' }],
      });
      const byOwner = new Map<string, typeof due>();
      for (const lead of due) byOwner.set(lead.ownerStaffId as string, [...(byOwner.get(lead.ownerStaffId as string) ?? []), lead]);
      let nudged = 0;
      for (const [staffId, leads] of byOwner) {
        const hourAgo = now.getTime() - HOUR_MS;
        const oldestDue = Math.min(hourAgo, ...leads.map((l) => (l.nextFollowUpAt as Date).getTime()));
        // sendAt is never earlier than asked, so it bounds the search; the payload's `at` is exact.
        const earlier = (await db.messageIntent.findMany({ where: { staffId, kind: 'lead_nudge', sendAt: { gte: new Date(oldestDue) } }, select: { payload: true } })).map((i) => nudgeMemo(i.payload));
        if (earlier.filter((memo) => memo.at > hourAgo).length >= MAX_NUDGES_PER_HOUR) continue;
        const fresh = leads.filter((lead) => !earlier.some((memo) => memo.at >= (lead.nextFollowUpAt as Date).getTime() && memo.leadIds.includes(lead.id)));
        if (fresh.length === 0) continue;
        const text = overdueNudgeText(fresh.map(toNudgeLead), store.timeZone);
        if (await db.$transaction((tx) => enqueueIntent(tx, {
          dedupeKey: `nudge:${staffId}:${slotKey}`, storeId: store.id, staffId, purpose: 'STAFF', kind: 'lead_nudge',
          message: { kind: 'text', text, leadIds: fresh.map((l) => l.id), at: now.toISOString() } as { kind: 'text'; text: string },
          sendAt: now, expiresAt,
        }))) nudged += 1;
      }
      const alerted = await alertManagers(db, store, today, now, expiresAt, settings.overdueAlertDays);
      logger.info({ storeId: store.id, slot: slotKey, due: due.length, nudged, alerted }, 'lead nudges queued');
    },
  };
}

/** One alert a day to each active manager about leads overdue by more than `days`; returns how many were queued. */
async function alertManagers(db: Database, store: NudgeStore, today: string, now: Date, expiresAt: Date, days: number): Promise<number> {
  const stale = await db.lead.findMany({
    where: { storeId: store.id, pool: 'ACTIVE', nextFollowUpAt: { lt: new Date(now.getTime() - days * DAY_MS) } },
    include: { customer: { select: { name: true, phone: true } }, owner: { select: { name: true } } }, orderBy: [{ nextFollowUpAt: 'asc' }, { id: 'asc' }],
  });
  if (stale.length === 0) return 0;
  const text = overdueAlertText(stale.map(toNudgeLead), days, store.timeZone);
  const managers = await db.staff.findMany({ where: { storeId: store.id, role: 'MANAGER', active: true }, select: { id: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  let queued = 0;
  for (const manager of managers) {
    if (await db.$transaction((tx) => enqueueIntent(tx, {
      dedupeKey: `overdue-alert:${manager.id}:${today}`, storeId: store.id, staffId: manager.id, purpose: 'STAFF', kind: 'lead_overdue_alert',
      message: { kind: 'text', text }, sendAt: now, expiresAt,
    }))) queued += 1;
  }
  return queued;
}

/**
 * On working days, {@link MINIMUM_REMINDER_LEAD_MINUTES} before staff hours end (a message at the
 * very end would fall outside them and go stale): each active on-duty consultant with fewer
 * follow-ups logged today than `dailyMinimumFollowUps` gets a reminder. Key `minimum:<staff>:<date>`.
 */
export function endOfDayMinimumJob(db: Database, clock: Clock, logger: Logger, store: NudgeStore): CalendarJob {
  return {
    name: `lead-minimum:${store.id}`, cron: dailyCron(store.staffHoursEnd, '18:30', MINIMUM_REMINDER_LEAD_MINUTES), timeZone: store.timeZone, missed: 'skip', graceMs: MINIMUM_REMINDER_LEAD_MINUTES * 60_000,
    async run(slot) {
      const today = localDate(slot, store.timeZone);
      if (!isChineseWorkingDay(today)) return;
      const now = clock.now();
      const { window, settings } = await storeRow(db, store.id);
      const minimum = settings.dailyMinimumFollowUps;
      if (minimum === 0) return;
      const dayStart = atLocalTime(today, '00:00', store.timeZone);
      const expiresAt = endOfWorkingDay(today, window.end, store.timeZone, now);
      let queued = 0;
      for (const consultant of await consultantsOnDuty(db, store.id)) {
        const done = await db.followUp.count({ where: { staffId: consultant.id, at: { gte: dayStart, lt: endOfLocalDay(today, store.timeZone) } } });
        if (done >= minimum) continue;
        if (await db.$transaction((tx) => enqueueIntent(tx, {
          dedupeKey: `minimum:${consultant.id}:${today}`, storeId: store.id, staffId: consultant.id, purpose: 'STAFF', kind: 'followup_minimum',
          message: { kind: 'text', text: minimumText(done, minimum) }, sendAt: now, expiresAt,
        }))) queued += 1;
      }
      logger.info({ storeId: store.id, date: today, minimum, queued }, 'follow-up minimum reminders queued');
    },
  };
}
