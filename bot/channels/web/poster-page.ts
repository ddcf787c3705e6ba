import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context.ts';
import { DEFAULT_SOURCE_CODE } from '../../../core/setup/first-start.ts';
import { loadRegistrationContext } from '../../../core/registration/registration-context.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { html, page, trusted } from '../../http/html.ts';
import { notFoundPage } from './not-found-page.ts';
import { pageLocale, webTexts } from './web-texts.ts';

/** `GET /`: the showroom poster with the QR code of the registration link, for a screen or print. */
export function registerPosterPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/', async (request, reply) => {
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const requested = (request.query as { source?: unknown }).source;
    const code = isQrSourceCode(requested) ? requested : DEFAULT_SOURCE_CODE;
    const source = await loadRegistrationContext(ctx.db, code, ctx.config.DATA_RETENTION_MONTHS);
    reply.type('text/html; charset=utf-8');
    if (!source) return reply.code(404).send(notFoundPage(locale));
    const t = webTexts(locale);
    const langSuffix = locale === ctx.config.DEFAULT_LOCALE ? '' : `?lang=${locale}`;
    const formUrl = `${ctx.publicBaseUrl}/r/${code}${langSuffix}`;
    const chatUrl = `${ctx.publicBaseUrl}/chat/${code}${langSuffix}`;
    const qrSvg = await QRCode.toString(formUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const body = html`<main class="poster">
  <p class="store">${source.storeName}</p>
  <h1>${t.posterHeadline(source.giftName)}</h1>
  <div class="qr" role="img" aria-label="${formUrl}">${trusted(qrSvg)}</div>
  <ol class="steps">${t.posterSteps.map((step) => html`<li>${step}</li>`)}</ol>
  <p class="hint">${t.posterScanHint}</p>
  <p class="link"><a href="${formUrl}">${formUrl}</a></p>
  <p class="link"><a href="${chatUrl}">${t.posterChatLink}</a></p>
</main>`;
    return page({ title: source.storeName, lang: locale, body, bodyClass: 'poster-body' });
  });
}
