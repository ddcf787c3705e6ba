import type { LeadSettings } from './lead-settings.ts';

/** Every grade, in the order staff see them. */
export const GRADES = ['N', 'H', 'A', 'B', 'C', 'O', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];

const DAY_MS = 24 * 3600_000;

/**
 * The next follow-up the cadence proposes after a follow-up at `at`: H/A/B/C by their cadence;
 * a new lead within the grading deadline; ordered, delivered and lost leads have none (the
 * journeys and the pool take over).
 */
export function proposeNextFollowUp(grade: Grade, at: Date, settings: LeadSettings): Date | null {
  switch (grade) {
    case 'H':
    case 'A':
    case 'B':
    case 'C':
      return new Date(at.getTime() + settings.cadenceDays[grade] * DAY_MS);
    case 'N':
      return new Date(at.getTime() + settings.gradeNewWithinDays * DAY_MS);
    case 'O':
    case 'D':
    case 'F':
      return null;
    default:
      return grade satisfies never;
  }
}

/** Whether a grade's promised purchase window has passed, so the lead must be re-graded. */
export function gradeWindowPassed(grade: Grade, gradedAt: Date | null, now: Date, settings: LeadSettings): boolean {
  if (grade !== 'H' && grade !== 'A' && grade !== 'B' && grade !== 'C') return false;
  if (!gradedAt) return true;
  return now.getTime() - gradedAt.getTime() > settings.gradeWindowDays[grade] * DAY_MS;
}
