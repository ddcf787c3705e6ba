// Signing in to the admin pages from the WeCom workbench (网页授权登录): the app's homepage is
// /admin/wecom/oauth, which sends the browser to WeCom's authorize URL; WeCom comes back with a
// `code` (valid 5 minutes, once), auth/getuserinfo says which member it is, and the staff member
// linked to that userid gets a session through a one-time login link, as the admin link does.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import type { Logger } from '../../../core/logger.ts';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { html, page } from '../../http/html.ts';
import type { WecomApiClient } from './wecom-api-client.ts';

/** WeCom's OAuth authorize page (opened inside the WeCom client). */
const AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize';
const STATE_COOKIE = 'sc_wecom_oauth';
const CALLBACK_PATH = '/admin/wecom/oauth/callback';
/** The login link a WeCom sign-in makes is used at once, by the redirect that follows. */
const LINK_TTL_HOURS = 2 / 60;

/** What the OAuth routes need. */
export interface WecomOAuthDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  api: Pick<WecomApiClient, 'getOAuthIdentity'>;
  corpId: string;
  agentId: number;
  publicBaseUrl: string;
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page({ title: '企业微信登录', body: html`<main class="admin"><h1>企业微信登录</h1><p>${message}</p></main>` }));
}

function sameState(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `GET /admin/wecom/oauth` (the workbench entry) and its callback. */
export function registerWecomOAuth(app: FastifyInstance, deps: WecomOAuthDeps): void {
  app.get('/admin/wecom/oauth', async (_request, reply) => {
    // The state ties WeCom's answer to this browser: a code planted from elsewhere is refused.
    const state = randomBytes(16).toString('base64url');
    reply.setCookie(STATE_COOKIE, state, { path: '/admin/wecom', httpOnly: true, sameSite: 'lax', maxAge: 600 });
    const url = new URL(AUTHORIZE_URL);
    url.search = new URLSearchParams({ appid: deps.corpId, redirect_uri: `${deps.publicBaseUrl}${CALLBACK_PATH}`, response_type: 'code', scope: 'snsapi_base', state, agentid: String(deps.agentId) }).toString();
    return reply.redirect(`${url.toString()}#wechat_redirect`, 302);
  });

  app.get<{ Querystring: { code?: unknown; state?: unknown } }>(CALLBACK_PATH, async (request, reply) => {
    const { code, state } = request.query;
    if (!sameState(state, request.cookies[STATE_COOKIE])) return refuse(reply, 400, '登录已过期，请从企业微信工作台重新打开。');
    reply.clearCookie(STATE_COOKIE, { path: '/admin/wecom' });
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(code)) return refuse(reply, 400, '企业微信没有给出登录凭证，请从工作台重新打开。');
    let userId: string;
    try {
      const identity = await deps.api.getOAuthIdentity(code);
      if (identity.kind !== 'member') return refuse(reply, 403, '只有本企业的成员可以登录管理后台。');
      userId = identity.userId;
    } catch (error) {
      deps.logger.warn({ err: error }, 'WeCom OAuth sign-in failed');
      return refuse(reply, 401, '企业微信登录凭证无效或已使用，请从工作台重新打开。');
    }
    const link = await deps.db.staffChannelLink.findUnique({ where: { channel_externalId: { channel: 'WECOM', externalId: userId } }, include: { staff: true } });
    if (!link?.staff.active) return refuse(reply, 403, `企业微信账号 ${userId} 还没有关联员工：请管理员在“员工”页面填写您的企业微信账号。`);
    const token = await createLoginLink(deps.db, deps.clock, link.staffId, LINK_TTL_HOURS);
    return reply.redirect(`/admin/login/${token}`, 302);
  });
}
