import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A one-line outcome shown at the top of the next page: done (ok) or refused. */
export interface Flash {
  ok: boolean;
  text: string;
  /** A one-time link shown once on the page after the action (a sign-in link, a chat invitation), with its QR code when `qr`. */
  shown?: ShownOnce;
}

/** A one-time link to hand to someone: what it is, how to use it, the link. */
export interface ShownOnce {
  title: string;
  howTo: string;
  url: string;
  qr: boolean;
}

/** The cookie that carries a flash across the redirect after a POST; read once, then cleared. */
export const FLASH_COOKIE = 'sc_flash';

const COOKIE_OPTIONS = { path: '/admin', httpOnly: true, sameSite: 'strict' as const };
const MAX_TEXT = 600;

function shownOf(value: unknown): ShownOnce | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { title, howTo, url, qr } = value as Record<string, unknown>;
  const texts = [title, howTo, url].every((v) => typeof v === 'string' && v.length <= MAX_TEXT);
  return texts && typeof qr === 'boolean' && /^https?:\/\//.test(url as string)
    ? { title: title as string, howTo: howTo as string, url: url as string, qr }
    : undefined;
}

/**
 * Post/redirect/get: answers a POST with 303 to `location` and leaves the flash in a cookie that
 * lives one minute; the page shown next reads and clears it, so a refresh submits nothing and
 * shows the page without the message.
 */
export function redirectWithFlash(reply: FastifyReply, location: string, flash: Flash): FastifyReply {
  const value = JSON.stringify({
    ok: flash.ok,
    text: flash.text.slice(0, MAX_TEXT),
    ...(flash.shown ? { shown: flash.shown } : {}),
  });
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
    const { ok, text, shown } = parsed as Record<string, unknown>;
    if (typeof ok !== 'boolean' || typeof text !== 'string') return null;
    const once = shownOf(shown);
    return { ok, text: text.slice(0, MAX_TEXT), ...(once ? { shown: once } : {}) };
  } catch {
    return null;
  }
}
