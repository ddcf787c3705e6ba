import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Locale } from '../../../core/config.ts';
import { AddressLimiter } from '../../../core/limits/address-limiter.ts';
import { factorChoices, SCORE_CHOICES, surveyTexts } from '../../../core/surveys/survey-texts.ts';
import { SURVEY_LINK_CODE } from '../../../core/surveys/survey-link-code.ts';
import { findSurveyByLink, giveSurveyAnswer } from '../../../core/surveys/survey-inbound.ts';
import { formText } from '../../http/form-fields.ts';
import { html, page, type SafeHtml } from '../../http/html.ts';
import { tooManyRequests } from '../../http/too-many-requests.ts';

/** The answer page's path; an SMS template holds `<PUBLIC_BASE_URL>/s/` and the code parameter. */
export const SURVEY_LINK_PATH = '/s/:code';

const PAGE_TEXTS = {
  'zh-CN': {
    title: '满意度回访', visit: (store: string) => `感谢您光临${store}！您对这次到店接待的整体满意度打几分？10 分为非常满意。`,
    delivery: (store: string) => `感谢您在${store}提车！您对这次交车的整体体验打几分？10 分为非常满意。`,
    comment: '请写下具体情况', send: '提交', skip: '跳过', gone: '这个问卷链接已失效', goneBody: '问卷可能已过期或已完成。如需帮助，请联系门店。',
  },
  en: {
    title: 'Satisfaction survey', visit: (store: string) => `Thank you for visiting ${store}! How satisfied were you with how we received you? 10 = very satisfied.`,
    delivery: (store: string) => `Thank you for collecting your car at ${store}! How satisfied were you with the handover? 10 = very satisfied.`,
    comment: 'Tell us what happened', send: 'Send', skip: 'Skip', gone: 'This survey link is no longer valid', goneBody: 'The survey may have expired or been completed. Please contact the store if you need help.',
  },
} as const;

/** What the page shows for a survey: the question it is at, or its closing words. */
type Step = { ask: 'score' | 'factor' | 'comment' } | { done: string };

function buttons(choices: { label: string; value: string }[]): SafeHtml {
  return html`<form method="post" class="choices">${choices.map((c) => html`<button type="submit" name="answer" value="${c.value}">${c.label}</button>`)}</form>`;
}

function surveyPage(locale: Locale, lead: string, step: Step): string {
  const t = PAGE_TEXTS[locale];
  const s = surveyTexts(locale);
  let body: SafeHtml;
  if ('done' in step) body = html`<p class="done">${step.done}</p>`;
  else if (step.ask === 'score') body = html`<p>${lead}</p>${buttons(SCORE_CHOICES)}`;
  else if (step.ask === 'factor') body = html`<p>${s.askFactor}</p>${buttons(factorChoices(locale))}`;
  else {
    body = html`<p>${s.askComment}</p><form method="post"><textarea name="answer" rows="4" maxlength="500" aria-label="${t.comment}" required></textarea><button type="submit">${t.send}</button></form>
<form method="post"><button type="submit" name="answer" value="${locale === 'en' ? 'none' : '无'}">${t.skip}</button></form>`;
  }
  return page({ title: t.title, lang: locale, body: html`<main class="card survey" data-step="${'done' in step ? 'done' : step.ask}"><h1>${t.title}</h1>${body}</main>` });
}

function gonePage(reply: FastifyReply, locale: Locale): FastifyReply {
  const t = PAGE_TEXTS[locale];
  return reply.code(404).type('text/html; charset=utf-8').send(page({ title: t.gone, lang: locale, body: html`<main class="card"><h1>${t.gone}</h1><p>${t.goneBody}</p></main>` }));
}

/**
 * `/s/<code>`: the one-question page an SMS survey links to, so a customer answers without any
 * app: the 1–10 buttons, then (below 8) the step that disappointed and a comment. Each answer
 * goes through the same survey logic as a chat answer (core/surveys/survey-inbound.ts), so a
 * low score opens the same recall ticket. A completed survey shows its thanks; an unknown or
 * closed one a polite 404. Limited per address, so codes cannot be tried in bulk.
 */
export function registerSurveyLinkPage(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new AddressLimiter(ctx.clock, { perMinute: ctx.config.CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE });
  const locale = ctx.config.DEFAULT_LOCALE;

  /** The page for the survey with `code` as it stands now; null when it takes no answers and is not completed. */
  async function current(code: string): Promise<string | null> {
    const survey = await ctx.db.survey.findUnique({ where: { linkCode: code }, include: { store: { select: { name: true } } } });
    if (!survey) return null;
    const lang: Locale = survey.locale === 'en' ? 'en' : 'zh-CN';
    const s = surveyTexts(lang);
    const lead = survey.kind === 'DELIVERY' ? PAGE_TEXTS[lang].delivery(survey.store.name) : PAGE_TEXTS[lang].visit(survey.store.name);
    if (survey.state === 'COMPLETED') return surveyPage(lang, lead, { done: (survey.score ?? 10) >= 8 ? s.thanksHigh : s.thanksLow });
    if (!(await ctx.db.$transaction((tx) => findSurveyByLink(tx, code, ctx.clock.now())))) return null;
    if (survey.state === 'ANSWERING') return surveyPage(lang, lead, { ask: survey.factor === null ? 'factor' : 'comment' });
    return surveyPage(lang, lead, { ask: 'score' });
  }

  const show = async (reply: FastifyReply, code: string) => {
    const shown = await current(code);
    return shown === null ? gonePage(reply, locale) : reply.type('text/html; charset=utf-8').send(shown);
  };

  app.get<{ Params: { code: string } }>(SURVEY_LINK_PATH, async (request, reply) => {
    const turn = limiter.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    if (!SURVEY_LINK_CODE.test(request.params.code)) return gonePage(reply, locale);
    return show(reply, request.params.code);
  });

  app.post<{ Params: { code: string } }>(SURVEY_LINK_PATH, async (request, reply) => {
    const turn = limiter.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const { code } = request.params;
    if (!SURVEY_LINK_CODE.test(code)) return gonePage(reply, locale);
    const answer = formText(request.body, 'answer', { max: 500, multiline: true });
    if (answer.trim() === '') return reply.code(400).send({ error: 'Invalid request', fields: { answer: 'must not be empty: tap a button or type your comment' } });
    const given = await ctx.db.$transaction(async (tx) => {
      const open = await findSurveyByLink(tx, code, ctx.clock.now());
      return open ? giveSurveyAnswer(tx, ctx.clock, open, answer) : null;
    });
    if (given === null && !(await ctx.db.survey.findUnique({ where: { linkCode: code }, select: { id: true } }))) return gonePage(reply, locale);
    return show(reply, code);
  });
}
