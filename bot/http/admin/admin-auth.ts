import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { findSessionStaff, redeemLoginLink, type StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, page } from '../html.ts';

/** The staff session cookie; Strict so a cross-site form cannot act with it. */
export const STAFF_SESSION_COOKIE = 'sc_staff';

function signInPage(message: string): string {
  return page({ title: '请登录', body: html`<main class="admin"><h1>请登录</h1><p>${message}</p></main>` });
}

/**
 * The signed-in staff member, or null after answering 401 (no session) or 403 (a POST from
 * another origin). Every admin route starts with it.
 */
export async function requireStaff(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<StaffPrincipal | null> {
  if (request.method !== 'GET') {
    const origin = request.headers.origin;
    if (origin && new URL(origin).host !== request.headers.host) {
      await reply.code(403).type('text/html; charset=utf-8').send(signInPage('请求来源不正确，请从管理页面操作。'));
      return null;
    }
  }
  const token = request.cookies[STAFF_SESSION_COOKIE];
  const staff = token ? await findSessionStaff(ctx.db, ctx.clock, token) : null;
  if (!staff) {
    await reply.code(401).type('text/html; charset=utf-8').send(signInPage('请使用服务启动时打印在终端里的一次性管理链接登录（每个链接只能使用一次；重启服务会打印新的链接）。'));
    return null;
  }
  return staff;
}

/** `GET /admin/login/:token`: exchanges the one-time link for a session cookie. */
export function registerAdminLogin(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { token: string } }>('/admin/login/:token', async (request, reply) => {
    const session = await redeemLoginLink(ctx.db, ctx.clock, request.params.token);
    if (!session) {
      return reply.code(401).type('text/html; charset=utf-8').send(signInPage('这个登录链接无效、已过期或已经使用过。请重启服务获取新的一次性链接。'));
    }
    reply.setCookie(STAFF_SESSION_COOKIE, session, { path: '/admin', httpOnly: true, sameSite: 'strict', maxAge: 12 * 3600 });
    return reply.redirect('/admin');
  });
}
