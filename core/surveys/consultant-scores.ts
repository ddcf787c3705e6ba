import { DateTime } from 'luxon';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { FACTORS, factorLabel, type Factor } from './survey-texts.ts';

/** The steps a low score can be blamed on (Survey.factor), in report order, with their Chinese labels. */
const SURVEY_FACTORS = FACTORS.map((factor) => ({ factor, label: factorLabel(factor, 'zh-CN') }));

type SurveyFactor = Factor;

/** A score below this is a low score: a manager intervenes and its factor is recorded. */
export const LOW_SCORE_BELOW = 8;
/** Default: a benchmark (标杆) needs at least this many responses in the month, all of them 10. */
export const DEFAULT_BENCHMARK_MIN_RESPONSES = 5;

export type ScoreValue = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
const SCORE_VALUES: readonly ScoreValue[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** What the computation needs to know of one survey sent in the month. */
export interface SurveyFact {
  consultantId: string | null;
  /** The consultant's name; ignored when consultantId is null. */
  consultantName: string | null;
  /** The score that stands (Survey.score), null when not answered. */
  score: number | null;
  factor: string | null;
}

/** The figures of a set of surveys (one consultant's, or the whole store's). */
export interface ScoreFigures {
  /** Surveys sent in the month. */
  surveysSent: number;
  /** Of those, the ones with a score. */
  responses: number;
  /** Mean score, one decimal; null without responses. */
  average: number | null;
  /** Responses per score, 1..10 (every key present). */
  distribution: Record<ScoreValue, number>;
  tens: number;
  /** Share of responses that are 10 (0..1); null without responses. */
  shareOfTens: number | null;
  /** Responses below 8. */
  belowEight: number;
  /** responses / surveysSent (0..1); null when nothing was sent. */
  responseRate: number | null;
  /** Counts of scores ≤ 6, 7–8 and 9–10. */
  detractorCount: number;
  passiveCount: number;
  promoterCount: number;
  /** The same as shares of responses (0..1); null without responses. */
  detractors: number | null;
  passives: number | null;
  promoters: number | null;
  /** (promoters − detractors) × 100, rounded half away from zero; null without responses. */
  nps: number | null;
}

export interface ConsultantScores extends ScoreFigures {
  consultantId: string;
  name: string;
  /** Every response is 10 and there are at least the minimum number of responses. */
  isBenchmark: boolean;
}

export interface FactorCount {
  factor: SurveyFactor;
  label: string;
  /** Low-score surveys (standing score below 8) blamed on this step. */
  count: number;
}

/** What the pure computation returns. */
export interface ScoreSummary {
  benchmarkMinResponses: number;
  /** Consultants with at least one survey sent in the month, by name. */
  consultants: ConsultantScores[];
  /** The whole store, surveys without a consultant included. */
  store: ScoreFigures;
  /** Every known factor, in SURVEY_FACTORS order, zero counts included. */
  factors: FactorCount[];
  /** Low scores whose factor is missing or not one of SURVEY_FACTORS. */
  lowScoresWithoutFactor: number;
  /** The consultants who are the month's benchmark (标杆). */
  benchmarks: Array<{ consultantId: string; name: string }>;
}

export interface MonthlyConsultantScores extends ScoreSummary {
  storeId: string;
  month: string;
  timeZone: string;
  /** First instant of the month in the store's time zone (inclusive). */
  from: Date;
  /** First instant of the next month (exclusive). */
  to: Date;
}

export interface ScoreOptions {
  benchmarkMinResponses?: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The instants a month spans in a time zone: [from, to). Throws on a malformed month or zone. */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } {
  if (!MONTH.test(month)) throw new Error(`Invalid month "${month}": expected YYYY-MM`);
  const start = DateTime.fromISO(`${month}-01`, { zone: timeZone });
  if (!start.isValid) throw new Error(`Invalid time zone "${timeZone}": ${start.invalidExplanation ?? start.invalidReason ?? ''}`);
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** The month (YYYY-MM) before the local month of an instant. */
export function previousMonth(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

function isScore(value: number | null): value is ScoreValue {
  return value !== null && Number.isInteger(value) && value >= 1 && value <= 10;
}

const share = (count: number, total: number): number | null => (total === 0 ? null : count / total);

/** Half away from zero, without a negative zero. */
function roundHalfAway(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? 0 : rounded;
}

/** The figures of a set of surveys. Scores outside 1..10 (which should not exist) are not responses. */
export function scoreFigures(facts: readonly Pick<SurveyFact, 'score'>[]): ScoreFigures {
  const counts: Partial<Record<number, number>> = {};
  for (const { score } of facts) if (isScore(score)) counts[score] = (counts[score] ?? 0) + 1;
  return figuresFromDistribution(facts.length, counts);
}

/**
 * The figures from how many surveys were sent and how many answers each score got (as a
 * `groupBy` over the score returns them); counts of values outside 1..10 are ignored.
 */
export function figuresFromDistribution(surveysSent: number, counts: Partial<Record<number, number>>): ScoreFigures {
  const distribution = Object.fromEntries(SCORE_VALUES.map((s) => [s, counts[s] ?? 0])) as Record<ScoreValue, number>;
  const responses = SCORE_VALUES.reduce((n, s) => n + distribution[s], 0);
  const sum = SCORE_VALUES.reduce((n, s) => n + s * distribution[s], 0);
  const count = (from: number, to: number) => SCORE_VALUES.filter((s) => s >= from && s <= to).reduce((n, s) => n + distribution[s], 0);
  const detractorCount = count(1, 6);
  const passiveCount = count(7, 8);
  const promoterCount = count(9, 10);
  return {
    surveysSent,
    responses,
    average: responses === 0 ? null : Math.round((sum * 10) / responses) / 10,
    distribution,
    tens: distribution[10],
    shareOfTens: share(distribution[10], responses),
    belowEight: count(1, LOW_SCORE_BELOW - 1),
    responseRate: share(responses, surveysSent),
    detractorCount,
    passiveCount,
    promoterCount,
    detractors: share(detractorCount, responses),
    passives: share(passiveCount, responses),
    promoters: share(promoterCount, responses),
    nps: responses === 0 ? null : roundHalfAway(((promoterCount - detractorCount) * 100) / responses),
  };
}

function checkMinResponses(min: number): number {
  if (!Number.isInteger(min) || min < 1) throw new Error(`benchmarkMinResponses must be a whole number of at least 1, got ${min}`);
  return min;
}

/**
 * Pure: the month's figures from the surveys sent in it (one fact per survey). Per consultant,
 * for the store, and the factors of the low scores across the store.
 */
export function computeConsultantScores(facts: readonly SurveyFact[], options: ScoreOptions = {}): ScoreSummary {
  const benchmarkMinResponses = checkMinResponses(options.benchmarkMinResponses ?? DEFAULT_BENCHMARK_MIN_RESPONSES);
  const byConsultant = new Map<string, { name: string; facts: SurveyFact[] }>();
  for (const fact of facts) {
    if (fact.consultantId === null) continue;
    const entry = byConsultant.get(fact.consultantId) ?? { name: fact.consultantName ?? '', facts: [] };
    entry.facts.push(fact);
    byConsultant.set(fact.consultantId, entry);
  }
  const consultants = [...byConsultant.entries()]
    .map(([consultantId, { name, facts: own }]): ConsultantScores => {
      const figures = scoreFigures(own);
      const isBenchmark = figures.responses >= benchmarkMinResponses && figures.tens === figures.responses;
      return { consultantId, name, ...figures, isBenchmark };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || (a.consultantId < b.consultantId ? -1 : a.consultantId > b.consultantId ? 1 : 0));

  const known = new Map<string, number>(SURVEY_FACTORS.map((f) => [f.factor, 0]));
  let lowScoresWithoutFactor = 0;
  for (const { score, factor } of facts) {
    if (!isScore(score) || score >= LOW_SCORE_BELOW) continue;
    if (factor !== null && known.has(factor)) known.set(factor, (known.get(factor) ?? 0) + 1);
    else lowScoresWithoutFactor += 1;
  }

  return {
    benchmarkMinResponses,
    consultants,
    store: scoreFigures(facts),
    factors: SURVEY_FACTORS.map(({ factor, label }) => ({ factor, label, count: known.get(factor) ?? 0 })),
    lowScoresWithoutFactor,
    benchmarks: consultants.filter((c) => c.isBenchmark).map(({ consultantId, name }) => ({ consultantId, name })),
  };
}

/**
 * A store's satisfaction figures for a month (YYYY-MM, in the store's time zone): every survey
 * whose sentAt falls in the month counts as sent, and as a response when it has a score (the
 * score that stands, after any correction), whenever the answer came. Visit and delivery
 * surveys both count.
 */
export async function monthlyConsultantScores(
  db: Database | DatabaseTx,
  storeId: string,
  month: string,
  timeZone: string,
  options: ScoreOptions = {},
): Promise<MonthlyConsultantScores> {
  checkMinResponses(options.benchmarkMinResponses ?? DEFAULT_BENCHMARK_MIN_RESPONSES);
  const { from, to } = monthRange(month, timeZone);
  const surveys = await db.survey.findMany({
    where: { storeId, sentAt: { gte: from, lt: to } },
    select: { consultantId: true, score: true, factor: true, consultant: { select: { name: true } } },
  });
  const facts = surveys.map((s): SurveyFact => ({ consultantId: s.consultantId, consultantName: s.consultant?.name ?? null, score: s.score, factor: s.factor }));
  return { storeId, month, timeZone, from, to, ...computeConsultantScores(facts, options) };
}
