import type { Locale } from '../config.ts';
import { detectOptOut } from '../consent/opt-out.ts';
import type { Choice, OutboundMessage } from '../messages.ts';
import { parseScore } from './parse-score.ts';
import { FACTORS, factorChoices, factorLabel, SCORE_CHOICES, surveyTexts, type Factor } from './survey-texts.ts';
import { cutText } from '../text/sanitize-text.ts';

/** The survey as the answer logic sees it. */
export interface SurveyFacts {
  state: 'SCHEDULED' | 'SENT' | 'ANSWERING' | 'COMPLETED' | 'EXPIRED' | 'DECLINED' | 'STAFF_FOLLOW_UP';
  locale: Locale;
  score: number | null;
  scoredAt: Date | null;
  factor: string | null;
  comment: string | null;
  unclearCount: number;
}

/** What one reply does to the survey. */
export interface SurveyStep {
  update: Partial<Pick<SurveyFacts, 'state' | 'score' | 'scoredAt' | 'factor' | 'comment' | 'unclearCount'>> & { completedAt?: Date | null };
  replies: OutboundMessage[];
  /** The reply could not be understood twice: staff take it from here. */
  handToStaff?: boolean;
}

const CORRECTION = /不对|应该是|改成|改为|更正|其实是|打错|actually|correction|i meant|change (?:it )?to/i;
const SKIP_COMMENT = /^(?:无|没有|没了|不用了|跳过|none|no|skip|nothing)[。.!！]?$/i;

const text = (body: string, choices?: Choice[]): OutboundMessage => (choices ? { kind: 'text', text: body, choices } : { kind: 'text', text: body });

function pickFactor(reply: string, locale: Locale): Factor | null {
  const trimmed = reply.normalize('NFKC').trim();
  if (/^[1-6]$/.test(trimmed)) return FACTORS[Number(trimmed) - 1] ?? null;
  return FACTORS.find((f) => trimmed.includes(factorLabel(f, locale)) || trimmed.includes(factorLabel(f, 'zh-CN'))) ?? null;
}

/** A new score: 8 or more completes the survey; below 8 asks which step disappointed. */
function scored(survey: SurveyFacts, score: number, now: Date, prefix: OutboundMessage[]): SurveyStep {
  const t = surveyTexts(survey.locale);
  if (score >= 8) {
    return { update: { score, scoredAt: now, factor: null, comment: null, state: 'COMPLETED', completedAt: now }, replies: [...prefix, text(t.thanksHigh)] };
  }
  return { update: { score, scoredAt: now, factor: null, comment: null, state: 'ANSWERING', completedAt: null }, replies: [...prefix, text(t.askFactor, factorChoices(survey.locale))] };
}

/**
 * Takes a customer's reply to their open survey. Pure: (survey, reply, now) → what changes and
 * what to say. Returns null when the reply is not for the survey (a completed one outside the
 * correction window), so other flows can take it. Opt-outs of everything are handled before.
 */
export function answerSurvey(survey: SurveyFacts, reply: string, now: Date, correctionMinutes: number): SurveyStep | null {
  const t = surveyTexts(survey.locale);
  if (detectOptOut(reply) === 'survey') return { update: { state: 'DECLINED' }, replies: [text(t.declined)] };
  const score = parseScore(reply);
  const inGrace = survey.scoredAt !== null && now.getTime() - survey.scoredAt.getTime() <= correctionMinutes * 60_000;

  switch (survey.state) {
    case 'SCHEDULED':
    case 'SENT':
      if (score !== null) return scored(survey, score, now, []);
      if (survey.unclearCount === 0) return { update: { unclearCount: 1 }, replies: [text(t.hint, SCORE_CHOICES)] };
      return { update: { unclearCount: survey.unclearCount + 1, state: 'STAFF_FOLLOW_UP' }, replies: [text(t.handedToStaff)], handToStaff: true };
    case 'ANSWERING': {
      if (inGrace && score !== null && CORRECTION.test(reply)) return scored(survey, score, now, [text(t.corrected(score))]);
      if (survey.factor === null) {
        const factor = pickFactor(reply, survey.locale);
        return factor ? { update: { factor }, replies: [text(t.askComment)] } : { update: {}, replies: [text(t.askFactor, factorChoices(survey.locale))] };
      }
      const comment = SKIP_COMMENT.test(reply.trim()) ? '' : cutText(reply.trim(), 500);
      return { update: { comment, state: 'COMPLETED', completedAt: now }, replies: [text(t.thanksLow)] };
    }
    case 'COMPLETED':
      if (inGrace && score !== null && score !== survey.score) return scored(survey, score, now, [text(t.corrected(score))]);
      return null;
    default:
      return null;
  }
}
