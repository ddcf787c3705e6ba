import { z } from 'zod';

const days = (max: number) => z.number().int().min(1).max(max);

/**
 * A store's lead rules (Store.leadSettings, JSON); missing keys take these defaults, the usual
 * ones of Chinese dealers (DOMAIN.md flow 4).
 */
export const leadSettingsSchema = z.object({
  /** Days between follow-ups, per grade. */
  cadenceDays: z.object({ H: days(30).default(1), A: days(60).default(3), B: days(90).default(7), C: days(180).default(15) }).default({ H: 1, A: 3, B: 7, C: 15 }),
  /** How soon each grade promises to buy; past it the lead must be re-graded. */
  gradeWindowDays: z.object({ H: days(60).default(7), A: days(90).default(15), B: days(180).default(30), C: days(365).default(90) }).default({ H: 7, A: 15, B: 30, C: 90 }),
  /** A new lead must be graded within this many days of the first visit. */
  gradeNewWithinDays: days(7).default(1),
  /** Managers are alerted when a lead is overdue by more than this many days. */
  overdueAlertDays: days(30).default(2),
  /** Follow-ups each consultant is expected to log per working day. */
  dailyMinimumFollowUps: z.number().int().min(0).max(50).default(3),
  /** Months without conversion before a lead is put to the manager for reassignment, and before it moves to the marketing pool. */
  reassignAfterMonths: days(24).default(3),
  poolAfterMonths: days(24).default(6),
  /** Whom a stale lead is suggested to: the least loaded senior consultant, or the least loaded of all. */
  reassignSuggestion: z.enum(['senior', 'least_loaded']).default('senior'),
});

export type LeadSettings = z.output<typeof leadSettingsSchema>;
export type GradeWithCadence = keyof LeadSettings['cadenceDays'];

/** A store's lead settings from its stored JSON, with defaults; throws naming a bad key. */
export function parseLeadSettings(json: string): LeadSettings {
  const result = leadSettingsSchema.safeParse(JSON.parse(json || '{}'));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`Lead setting ${issue?.path.join('.') ?? '?'} ${issue?.message ?? 'is invalid'}`);
}
