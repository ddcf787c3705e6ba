import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { endSession, findSessionStaff, redeemLoginLink, type SessionPolicy, type StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, page } from '../html.ts';
import { isSameSite, secureCookies } from '../request-origin.ts';

/** The staff session cookie; Strict so a cross-site form cannot act with it. */
export const STAFF_SESSION_COOKIE = 'sc_staff';

function signInPage(message: string): string {
  return page({ title: '请登录', body: html`<main class="admin"><h1>请登录</h1><p>${message}</p></main>` });
}

/** The answer to a state-changing request from another site (see isSameSite). */
function refuseOtherOrigin(reply: FastifyReply): FastifyReply {
  return reply.code(403).type('text/html; charset=utf-8').send(signInPage('请求来源不正确，请从管理页面操作。'));
}

/** The session lifetimes from the settings. */
export function sessionPolicy(ctx: AppContext): SessionPolicy {
  return { idleMs: ctx.config.ADMIN_SESSION_IDLE_MINUTES * 60_000, maxMs: ctx.config.ADMIN_SESSION_MAX_HOURS * 3600_000 };
}

/**
 * The signed-in staff member, or null after answering 401 (no session, or it ended) or 403 (a
 * POST whose Origin or Referer is not this site). Every admin route starts with it.
 */
export async function requireStaff(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<StaffPrincipal | null> {
  if (request.method !== 'GET' && !isSameSite(request, ctx.publicBaseUrl)) {
    await refuseOtherOrigin(reply);
    return null;
  }
  const token = request.cookies[STAFF_SESSION_COOKIE];
  const staff = token ? await findSessionStaff(ctx.db, ctx.clock, token, sessionPolicy(ctx)) : null;
  if (!staff) {
    await reply.code(401).type('text/html; charset=utf-8').send(signInPage(token
      ? '登录已过期（长时间未操作或已超过最长登录时间），请用新的一次性登录链接重新登录。'
      : '请使用服务启动时打印在终端里的一次性管理链接登录（每个链接只能使用一次；重启服务会打印新的链接）。'));
    return null;
  }
  return staff;
}

/**
 * `GET /admin/login/:token` exchanges a one-time link for a session cookie (Secure when the
 * site is served over https); `POST /admin/logout` ends the session.
 */
export function registerAdminLogin(app: FastifyInstance, ctx: AppContext): void {
  const cookieOptions = { path: '/admin', httpOnly: true, sameSite: 'strict' as const, secure: secureCookies(ctx.publicBaseUrl) };
  app.get<{ Params: { token: string } }>('/admin/login/:token', async (request, reply) => {
    const session = await redeemLoginLink(ctx.db, ctx.clock, request.params.token, sessionPolicy(ctx));
    if (!session) {
      return reply.code(401).type('text/html; charset=utf-8').send(signInPage('这个登录链接无效、已过期或已经使用过。请重启服务获取新的一次性链接。'));
    }
    reply.setCookie(STAFF_SESSION_COOKIE, session, { ...cookieOptions, maxAge: ctx.config.ADMIN_SESSION_MAX_HOURS * 3600 });
    return reply.redirect('/admin');
  });
  app.post('/admin/logout', async (request, reply) => {
    if (!isSameSite(request, ctx.publicBaseUrl)) return refuseOtherOrigin(reply);
    const token = request.cookies[STAFF_SESSION_COOKIE];
    if (token) await endSession(ctx.db, token);
    reply.clearCookie(STAFF_SESSION_COOKIE, cookieOptions);
    return reply.type('text/html; charset=utf-8').send(signInPage('您已退出登录。'));
  });
}
