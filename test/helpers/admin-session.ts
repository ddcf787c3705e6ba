import { createLoginLink } from '../../core/staff/staff-sessions.ts';
import type { TestApp } from './test-app.ts';

/** Signs a staff member in through a one-time link, as a person would; returns the session cookie value. */
export async function signIn(t: TestApp, staffId: string): Promise<string> {
  const token = await createLoginLink(t.ctx.db, t.clock, staffId, 24);
  const login = await t.app.inject({ method: 'GET', url: `/admin/login/${token}` });
  return login.cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
}
