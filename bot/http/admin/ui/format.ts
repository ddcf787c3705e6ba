/** Formats an instant for staff, in the store's time zone. */
export const formatTime = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short', hour12: false }).format(
    instant,
  );

/** A share as a percentage with one decimal (0.5 → "50.0%"). */
export const percent = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
