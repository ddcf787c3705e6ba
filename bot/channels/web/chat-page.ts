import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { loadRegistrationContext } from '../../../core/registration/registration-context.ts';
import { html, page } from '../../http/html.ts';
import { notFoundPage } from './not-found-page.ts';
import { pageLocale, webTexts } from './web-texts.ts';

/** `GET /chat/:code`: the web chat, where registration happens as a conversation. */
export function registerChatPage(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { code: string } }>('/chat/:code', async (request, reply) => {
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const { code } = request.params;
    const source = await loadRegistrationContext(ctx.db, code, ctx.config.DATA_RETENTION_MONTHS);
    reply.type('text/html; charset=utf-8');
    if (!source) return reply.code(404).send(notFoundPage(locale));
    const t = webTexts(locale);
    const langQuery = locale === ctx.config.DEFAULT_LOCALE ? '' : `?lang=${locale}`;
    const body = html`<main class="chat" id="chat" data-source="${code}" data-lang="${locale}" data-generic-error="${t.genericError}" data-poll-ms="${ctx.config.WEB_CHAT_POLL_MS}">
<header><h1>${t.chatTitle}</h1><p class="store">${source.storeName}</p></header>
<ol class="messages" id="messages" aria-live="polite"></ol>
<form id="composer" class="composer">
  <input id="text" name="text" maxlength="500" autocomplete="off" placeholder="${t.chatPlaceholder}" aria-label="${t.chatPlaceholder}">
  <button type="submit">${t.chatSend}</button>
</form>
<p class="alt"><a href="/r/${code}${langQuery}">${t.formInstead}</a></p>
</main>`;
    return page({ title: t.chatTitle, lang: locale, body, script: 'web-chat.js', bodyClass: 'chat-body' });
  });
}
