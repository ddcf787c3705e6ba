import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A one-line outcome shown at the top of the next page: done (ok) or refused. */
export interface Flash {
  ok: boolean;
  text: string;
}

/** The cookie that carries a flash across the redirect after a POST; read once, then cleared. */
export const FLASH_COOKIE = 'sc_flash';

const COOKIE_OPTIONS = { path: '/admin', httpOnly: true, sameSite: 'strict' as const };
const MAX_TEXT = 600;

/**
 * Post/redirect/get: answers a POST with 303 to `location` and leaves the flash in a cookie that
 * lives one minute, so a refresh of the page shown next only reads it again (it submits nothing).
 */
export function redirectWithFlash(reply: FastifyReply, location: string, flash: Flash): FastifyReply {
  const value = JSON.stringify({ ok: flash.ok, text: flash.text.slice(0, MAX_TEXT) });
  reply.setCookie(FLASH_COOKIE, value, { ...COOKIE_OPTIONS, maxAge: 60 });
  return reply.redirect(location, 303);
}

/** The flash left by the POST before this page, cleared as it is read; null when there is none or it is malformed. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (raw === undefined) return null;
  reply.clearCookie(FLASH_COOKIE, COOKIE_OPTIONS);
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { ok, text } = parsed as Record<string, unknown>;
    return typeof ok === 'boolean' && typeof text === 'string' ? { ok, text: text.slice(0, MAX_TEXT) } : null;
  } catch {
    return null;
  }
}
