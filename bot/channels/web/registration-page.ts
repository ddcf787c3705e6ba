import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { privacyNotice } from '../../../core/consent/privacy-notice.ts';
import { loadRegistrationContext } from '../../../core/registration/registration-context.ts';
import { COMPANIONS, HEARD_FROM, MODEL_NOT_SURE, companionLabel, heardFromLabel, notSureLabel } from '../../../core/registration/registration-options.ts';
import { html, page } from '../../http/html.ts';
import { notFoundPage } from './not-found-page.ts';
import { ensureWebSession } from './web-session.ts';
import { pageLocale, webTexts, type WebTexts } from './web-texts.ts';

const fieldError = (t: WebTexts, field: keyof WebTexts['hints']) =>
  html`<p class="field-error" data-error-for="${field}" data-hint="${t.hints[field]}" hidden></p>`;

/** `GET /r/:code`: the mobile H5 registration form; it posts to /api/registrations. */
export function registerRegistrationPage(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { code: string } }>('/r/:code', async (request, reply) => {
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const { code } = request.params;
    const source = await loadRegistrationContext(ctx.db, code, ctx.config.DATA_RETENTION_MONTHS);
    reply.type('text/html; charset=utf-8');
    if (!source) return reply.code(404).send(notFoundPage(locale));
    ensureWebSession(request, reply);
    const t = webTexts(locale);
    const langQuery = locale === ctx.config.DEFAULT_LOCALE ? '' : `?lang=${locale}`;
    const body = html`<main class="card">
<h1>${t.formTitle}</h1>
<p class="store">${source.storeName}</p>
<p>${t.formIntro(source.giftName)}</p>
<form id="registration" data-source="${code}" data-generic-error="${t.genericError}" data-submitting="${t.submitting}"
  data-voucher-title="${t.voucherTitle}" data-voucher-hint="${t.voucherHint(source.giftName)}"
  data-out-of-stock="${t.outOfStock(source.giftName)}" data-at-desk="${t.atDesk(source.giftName)}" data-already="${t.alreadyRegistered}" novalidate>
  <section class="notice" id="notice">${privacyNotice(source, locale)}</section>
  <label class="check"><input type="checkbox" name="serviceConsent" required> ${t.serviceConsentLabel}</label>
  ${fieldError(t, 'serviceConsent')}
  <label for="name">${t.nameLabel}</label>
  <input id="name" name="name" maxlength="30" autocomplete="name" placeholder="${t.namePlaceholder}" required>
  ${fieldError(t, 'name')}
  <label for="phone">${t.phoneLabel}</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="32" placeholder="${t.phonePlaceholder}" required>
  ${fieldError(t, 'phone')}
  ${ctx.phoneProof.available ? html`<label for="phoneCode">${t.phoneCodeLabel}</label>
  <div class="code-row"><input id="phoneCode" name="phoneCode" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="\d{6}" required>
  <button type="button" id="send-code" data-sent="${t.codeSent}" data-resend-in="${t.resendIn}">${t.sendCode}</button></div>
  <p class="code-status" id="code-status" aria-live="polite" hidden></p>
  ${fieldError(t, 'phoneCode')}` : ''}
  <label for="modelOfInterest">${t.modelLabel}</label>
  <select id="modelOfInterest" name="modelOfInterest" required>
    <option value="" selected disabled>${t.modelPlaceholder}</option>
    ${source.carModels.map((m) => html`<option value="${m}">${m}</option>`)}
    <option value="${MODEL_NOT_SURE}">${notSureLabel(locale)}</option>
  </select>
  ${fieldError(t, 'modelOfInterest')}
  <fieldset><legend>${t.heardFromLabel}</legend>
    ${HEARD_FROM.map((h) => html`<label class="check"><input type="radio" name="heardFrom" value="${h}" required> ${heardFromLabel(h, locale)}</label>`)}
  </fieldset>
  ${fieldError(t, 'heardFrom')}
  <fieldset><legend>${t.companionsLabel}</legend>
    ${COMPANIONS.map((c) => html`<label class="check"><input type="checkbox" name="companions" value="${c}"> ${companionLabel(c, locale)}</label>`)}
  </fieldset>
  ${fieldError(t, 'companions')}
  <label class="check marketing"><input type="checkbox" name="marketingConsent"> ${t.marketingLabel}</label>
  ${fieldError(t, 'marketingConsent')}
  ${fieldError(t, 'source')}
  <p class="form-error" id="form-error" hidden></p>
  <button type="submit">${t.submit}</button>
</form>
<section id="result" class="result" hidden aria-live="polite"></section>
<p class="alt"><a href="/chat/${code}${langQuery}">${t.chatInstead}</a></p>
</main>`;
    return page({ title: t.formTitle, lang: locale, body, script: 'registration-form.js' });
  });
}
