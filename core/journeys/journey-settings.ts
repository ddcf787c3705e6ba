import { z } from 'zod';

const hours = (max: number) => z.number().int().min(0).max(max);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/**
 * When each journey message goes out; every store can change these (Store.journeySettings,
 * JSON). Missing keys take the defaults below.
 */
export const journeySettingsSchema = z.object({
  /** Thank-you after a visit, minutes after registering. */
  thankYouDelayMinutes: z.number().int().min(1).max(24 * 60).default(120),
  /** Reminders before the handover, in hours before it (72 h and 24 h). */
  deliveryReminderHours: z.array(hours(24 * 14)).min(1).max(5).default([72, 24]),
  /** Thanks after the handover (due within 24 h). */
  deliveryThanksDelayHours: hours(23).default(2),
  /** The delivery check (survey) after the handover (due within 72 h). */
  deliveryCheckDelayHours: hours(71).default(48),
  /** First service: due this many days after delivery; reminded this many days before. */
  firstServiceAfterDays: z.number().int().min(1).max(730).default(90),
  firstServiceReminderDaysBefore: z.number().int().min(0).max(60).default(7),
  /** Local time of day for birthday and holiday greetings. */
  greetingTime: timeOfDay.default('10:00'),
  /** Holiday greetings go out this many days before the holiday. */
  holidayDaysBefore: z.number().int().min(0).max(14).default(1),
  /** No greetings to customers younger than this. */
  greetingMinAge: z.number().int().min(0).max(30).default(14),
  /** The visit survey goes out the day after the visit at this local time. */
  visitSurveyTime: timeOfDay.default('10:00'),
  /** One reminder this many hours after a survey went unanswered. */
  surveyReminderHours: z.number().int().min(1).max(47).default(6),
  /** A visit survey expires this long after it is due; a delivery survey 72 h after the handover. */
  visitSurveyExpiryHours: z.number().int().min(1).max(96).default(48),
  /** No second survey for a customer within this many days. */
  surveyRepeatWindowDays: z.number().int().min(0).max(90).default(7),
  /** A corrected score within this many minutes replaces the first, before anything is escalated. */
  surveyCorrectionMinutes: z.number().int().min(0).max(60).default(10),
  /** Marketing messages a customer may receive per local day, across all journeys. */
  marketingPerDay: z.number().int().min(1).max(10).default(1),
});

export type JourneySettings = z.output<typeof journeySettingsSchema>;

/** A store's settings from its stored JSON, with defaults filled in; throws naming a bad key. */
export function parseJourneySettings(json: string): JourneySettings {
  const result = journeySettingsSchema.safeParse(JSON.parse(json || '{}'));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`Journey setting ${issue?.path.join('.') ?? '?'} ${issue?.message ?? 'is invalid'}`);
}
