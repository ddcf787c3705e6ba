import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie that identifies a browser as one web chat identity. */
export const WEB_SESSION_COOKIE = 'sc_chat';
const MAX_AGE_S = 30 * 24 * 3600;

/** The browser's web session id, if it has a valid one. */
export function readWebSession(request: FastifyRequest): string | null {
  const value = request.cookies[WEB_SESSION_COOKIE];
  return value && /^[A-Za-z0-9_-]{22,64}$/.test(value) ? value : null;
}

/** The browser's web session id, creating one (and its cookie) if needed. */
export function ensureWebSession(request: FastifyRequest, reply: FastifyReply): string {
  const existing = readWebSession(request);
  if (existing) return existing;
  const id = randomBytes(18).toString('base64url');
  reply.setCookie(WEB_SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: MAX_AGE_S, secure: request.protocol === 'https' });
  return id;
}
