import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createLoginLink } from '../../core/staff/staff-sessions.ts';
import type { TestApp } from './test-app.ts';

/** Signs a staff member in through a one-time link, as a person would; returns the session cookie value. */
export async function signIn(t: TestApp, staffId: string): Promise<string> {
  const token = await createLoginLink(t.ctx.db, t.clock, staffId, 24);
  const login = await t.app.inject({ method: 'GET', url: `/admin/login/${token}` });
  return login.cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
}

/**
 * The page a browser shows after submitting an admin form: a 303 (post/redirect/get) is followed
 * with the session and the flash cookie it set, as a browser would; any other answer (a refusal
 * shown with the form) is returned as it is.
 */
export async function followRedirect(app: FastifyInstance, response: LightMyRequestResponse, session: string): Promise<LightMyRequestResponse> {
  if (response.statusCode !== 303) return response;
  const flash = response.cookies.find((c) => c.name === 'sc_flash')?.value;
  return app.inject({ method: 'GET', url: String(response.headers.location), cookies: { sc_staff: session, ...(flash === undefined ? {} : { sc_flash: flash }) } });
}
