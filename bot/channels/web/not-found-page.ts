import type { Locale } from '../../../core/config.ts';
import { html, page } from '../../http/html.ts';
import { webTexts } from './web-texts.ts';

/** The page shown for an unknown or inactive QR source code. */
export function notFoundPage(locale: Locale): string {
  const t = webTexts(locale);
  return page({ title: t.notFoundTitle, lang: locale, body: html`<main class="card"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main>` });
}
