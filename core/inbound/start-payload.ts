import type { InboundEvent } from '../messages.ts';
import { isQrSourceCode } from '../registration/qr-source-code.ts';

/**
 * What a start payload for a staff invitation begins with: Telegram `/start staff_<token>`
 * (43 token characters, within the 64 a start parameter allows).
 */
export const INVITATION_PREFIX = 'staff_';

const START_COMMAND = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/;

/** The payload that opens a chat at a QR source: its code, which fits a deep-link parameter as it is. */
export function sourcePayload(code: string): string {
  return code;
}

/** The payload that redeems a staff invitation: `staff_<token>`. */
export function invitationPayload(token: string): string {
  return `${INVITATION_PREFIX}${token}`;
}

/**
 * What a start payload (a deep-link parameter, a QR code's scene) asks for: a staff invitation,
 * or a start at a QR source. A payload that is neither starts like a plain start (null source).
 */
export function readStartPayload(payload: string | null): Extract<InboundEvent, { kind: 'start' | 'staff_invitation' }> {
  if (payload?.startsWith(INVITATION_PREFIX)) return { kind: 'staff_invitation', token: payload.slice(INVITATION_PREFIX.length) };
  return { kind: 'start', sourceCode: isQrSourceCode(payload) ? payload : null };
}

/**
 * Reads `/start [payload]` (optionally addressed, `/start@bot_name`), the command a deep link
 * sends and a store choice's button carries; null for any other text.
 */
export function readStartCommand(text: string): { payload: string | null } | null {
  const match = START_COMMAND.exec(text.trim());
  return match ? { payload: match[1] ?? null } : null;
}

/** The value of a choice that starts at a QR source when tapped. */
export function startCommand(payload: string): string {
  return `/start ${payload}`;
}
