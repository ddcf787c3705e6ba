import { z } from 'zod';

/** A QR source code: `[A-Za-z0-9_-]{1,64}`, so it is also a valid Telegram deep-link payload. */
export const QR_SOURCE_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether a value is a well-formed QR source code. */
export function isQrSourceCode(value: unknown): value is string {
  return typeof value === 'string' && QR_SOURCE_CODE.test(value);
}

/** The zod schema for a QR source code field, with the message the API answers. */
export const qrSourceCodeSchema = z
  .string({ error: (issue) => (issue.input == null ? 'is required: the QR source code, e.g. showroom' : 'must be text: the QR source code, e.g. "showroom"') })
  .regex(QR_SOURCE_CODE, 'must be a QR source code of 1–64 letters, digits, _ or -');
