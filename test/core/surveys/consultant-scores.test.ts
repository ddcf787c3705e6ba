import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { latestSlot } from '../../../core/scheduler/calendar-job.ts';
import {
  computeConsultantScores, monthlyConsultantScores, monthRange, previousMonth, scoreFigures, type SurveyFact,
} from '../../../core/surveys/consultant-scores.ts';
import { reportSummaryJob } from '../../../core/reports/report-summary-job.ts';
import { monthlySummaryText } from '../../../core/surveys/monthly-summary-text.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const SHANGHAI = 'Asia/Shanghai';

/** Facts for one consultant: answered scores, then `unanswered` surveys without a score. */
function factsOf(consultantId: string | null, name: string | null, scores: number[], unanswered = 0, factor: string | null = null): SurveyFact[] {
  return [
    ...scores.map((score) => ({ consultantId, consultantName: name, score, factor: score < 8 ? factor : null })),
    ...Array.from({ length: unanswered }, () => ({ consultantId, consultantName: name, score: null, factor: null })),
  ];
}

/**
 * The hand-computed month.
 * A 王丽: scores 10,10,9,6,8 of 6 sent (one unanswered); the 6 blamed on the test drive.
 *   responses 5; sum 10+10+9+6+8 = 43; average 43/5 = 8.6
 *   tens 2 → share 2/5 = 40%; below 8: only the 6 → 1; response rate 5/6 = 83.3%
 *   promoters (9–10) 10,10,9 = 3 → 60%; passives (7–8) 8 = 1 → 20%; detractors (≤6) 6 = 1 → 20%
 *   NPS = (60% − 20%) × 100 = 40
 * B 李强: 10,10,10,10,10 of 5 → average 10.0, NPS 100, response rate 100%, five 10s ≥ 5 → benchmark
 * C 张敏: 10,10,10,10 of 4 → all 10s but only 4 responses < 5 → not a benchmark
 * No consultant: one survey scored 3, blamed on price transparency.
 * Store: sent 6+5+4+1 = 16; responses 5+5+4+1 = 15; sum 43+50+40+3 = 136; average 136/15 = 9.066… → 9.1
 *   tens 2+5+4 = 11; below 8: 6 and 3 → 2; promoters 3+5+4 = 12, passives 1, detractors 6 and 3 → 2
 *   NPS = (12 − 2) / 15 × 100 = 66.67 → 67; response rate 15/16 = 93.75%
 */
const MONTH_FACTS: SurveyFact[] = [
  ...factsOf('a', '王丽', [10, 10, 9, 6, 8], 1, 'test_drive'),
  ...factsOf('b', '李强', [10, 10, 10, 10, 10]),
  ...factsOf('c', '张敏', [10, 10, 10, 10]),
  ...factsOf(null, null, [3], 0, 'price_transparency'),
];

describe('consultant scores (pure)', () => {
  it('computes the hand-computed month per consultant', () => {
    const summary = computeConsultantScores(MONTH_FACTS);
    expect(summary.consultants.map((c) => c.name)).toEqual(['李强', '王丽', '张敏']); // by name (pinyin: li, wang, zhang)
    const a = summary.consultants.find((c) => c.consultantId === 'a')!;
    expect(a).toMatchObject({
      name: '王丽', surveysSent: 6, responses: 5, average: 8.6, tens: 2, belowEight: 1,
      detractorCount: 1, passiveCount: 1, promoterCount: 3, nps: 40, isBenchmark: false,
    });
    expect(a.distribution).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 0, 8: 1, 9: 1, 10: 2 });
    expect(a.shareOfTens).toBeCloseTo(0.4, 10);
    expect(a.responseRate).toBeCloseTo(5 / 6, 10);
    expect((a.responseRate! * 100).toFixed(1)).toBe('83.3');
    expect(a.promoters).toBeCloseTo(0.6, 10);
    expect(a.passives).toBeCloseTo(0.2, 10);
    expect(a.detractors).toBeCloseTo(0.2, 10);

    const b = summary.consultants.find((c) => c.consultantId === 'b')!;
    expect(b).toMatchObject({ surveysSent: 5, responses: 5, average: 10, shareOfTens: 1, belowEight: 0, responseRate: 1, nps: 100, isBenchmark: true });
    const c = summary.consultants.find((c) => c.consultantId === 'c')!;
    expect(c).toMatchObject({ responses: 4, average: 10, shareOfTens: 1, nps: 100, isBenchmark: false });
    expect(summary.benchmarks).toEqual([{ consultantId: 'b', name: '李强' }]);
  });

  it('adds up the store, surveys without a consultant included', () => {
    const { store } = computeConsultantScores(MONTH_FACTS);
    expect(store).toMatchObject({ surveysSent: 16, responses: 15, average: 9.1, tens: 11, belowEight: 2, promoterCount: 12, passiveCount: 1, detractorCount: 2, nps: 67 });
    expect(store.responseRate).toBeCloseTo(0.9375, 10);
    expect(store.distribution[3]).toBe(1);
  });

  it('makes the benchmark minimum configurable', () => {
    expect(computeConsultantScores(MONTH_FACTS, { benchmarkMinResponses: 4 }).benchmarks.map((b) => b.consultantId)).toEqual(['b', 'c']);
    expect(computeConsultantScores(MONTH_FACTS, { benchmarkMinResponses: 6 }).benchmarks).toEqual([]);
    expect(() => computeConsultantScores(MONTH_FACTS, { benchmarkMinResponses: 0 })).toThrow(/at least 1/);
  });

  it('does not make a benchmark of one 9 among ten 10s, nor of unanswered surveys', () => {
    const summary = computeConsultantScores([...factsOf('d', '赵一', [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9]), ...factsOf('e', '钱二', [], 6)]);
    expect(summary.benchmarks).toEqual([]);
    const silent = summary.consultants.find((c) => c.consultantId === 'e')!;
    expect(silent).toMatchObject({ surveysSent: 6, responses: 0, average: null, shareOfTens: null, responseRate: 0, detractors: null, nps: null, isBenchmark: false });
  });

  it('counts the factors of standing low scores only, with Chinese labels', () => {
    const facts: SurveyFact[] = [
      { consultantId: 'a', consultantName: '王丽', score: 5, factor: 'reception_wait' },
      { consultantId: 'a', consultantName: '王丽', score: 7, factor: 'reception_wait' },
      { consultantId: 'b', consultantName: '李强', score: 2, factor: 'price_transparency' },
      { consultantId: 'b', consultantName: '李强', score: 4, factor: null }, // low, no factor given
      { consultantId: 'b', consultantName: '李强', score: 6, factor: 'weather' }, // low, unknown factor
      { consultantId: 'b', consultantName: '李强', score: 9, factor: 'paperwork' }, // corrected to 9: the 9 stands, no low score
      { consultantId: 'b', consultantName: '李强', score: 8, factor: 'delivery' }, // 8 is not below 8
      { consultantId: 'b', consultantName: '李强', score: null, factor: 'test_drive' }, // no standing score
    ];
    const summary = computeConsultantScores(facts);
    expect(summary.factors).toEqual([
      { factor: 'reception_wait', label: '接待等候', count: 2 },
      { factor: 'product_explanation', label: '产品介绍', count: 0 },
      { factor: 'test_drive', label: '试乘试驾', count: 0 },
      { factor: 'price_transparency', label: '价格透明', count: 1 },
      { factor: 'paperwork', label: '手续办理', count: 0 },
      { factor: 'delivery', label: '交车', count: 0 },
    ]);
    expect(summary.lowScoresWithoutFactor).toBe(2);
  });

  it('rounds a negative NPS half away from zero and ignores scores outside 1–10', () => {
    // 1, 2, 9, 7 → promoters 1, detractors 2 → (1 − 2) / 4 × 100 = −25
    expect(scoreFigures([{ score: 1 }, { score: 2 }, { score: 9 }, { score: 7 }]).nps).toBe(-25);
    // 1, 1, 9 and five 7s → (1 − 2) / 8 × 100 = −12.5 → −13 (Math.round alone would give −12)
    expect(scoreFigures([1, 1, 9, 7, 7, 7, 7, 7].map((score) => ({ score }))).nps).toBe(-13);
    // one 1 and three hundred 7s → −1 / 301 × 100 = −0.33 → 0, not −0
    expect(Object.is(scoreFigures([1, ...Array<number>(300).fill(7)].map((score) => ({ score }))).nps, 0)).toBe(true);
    const odd = scoreFigures([{ score: 0 }, { score: 11 }, { score: 10 }]);
    expect(odd).toMatchObject({ surveysSent: 3, responses: 1, average: 10 });
  });
});

describe('month boundaries', () => {
  it('spans a month in the store time zone', () => {
    const { from, to } = monthRange('2026-11', SHANGHAI);
    expect(from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(monthRange('2026-12', SHANGHAI).to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(() => monthRange('2026-13', SHANGHAI)).toThrow(/YYYY-MM/);
    expect(() => monthRange('2026-11', 'Mars/Olympus')).toThrow(/time zone/);
  });

  it('finds the previous month from local time', () => {
    expect(previousMonth(new Date('2026-12-01T01:00:00Z'), SHANGHAI)).toBe('2026-11');
    expect(previousMonth(new Date('2027-01-01T01:00:00Z'), SHANGHAI)).toBe('2026-12');
    expect(previousMonth(new Date('2026-11-30T16:30:00Z'), SHANGHAI)).toBe('2026-11'); // already 1 December 00:30 in Shanghai
    expect(previousMonth(new Date('2026-11-30T15:30:00Z'), SHANGHAI)).toBe('2026-10'); // still 30 November 23:30
  });
});

describe('monthly consultant scores (database)', () => {
  let t: TestCore;
  let storeId: string;
  let customerId: string;
  let subject = 0;

  beforeEach(async () => {
    t = await createTestCore();
    storeId = t.setup.storeId;
    customerId = (await t.ctx.db.customer.create({ data: { name: '陈大文', phone: '+8613900000001' } })).id;
  });
  afterEach(async () => {
    await t.close();
  });

  const staff = async (name: string, role: 'CONSULTANT' | 'MANAGER', active = true) =>
    (await t.ctx.db.staff.create({ data: { storeId, name, role, active } })).id;

  /** A survey sent at `sentAt` (null = not sent yet), with its standing score and factor. */
  async function survey(consultantId: string | null, sentAt: string | null, score: number | null, factor: string | null = null, scoredAt?: string): Promise<void> {
    subject += 1;
    const sent = sentAt ? new Date(sentAt) : null;
    await t.ctx.db.survey.create({
      data: {
        storeId, customerId, consultantId, kind: 'VISIT', subjectId: `visit-${subject}`,
        state: score === null ? (sent ? 'SENT' : 'SCHEDULED') : 'COMPLETED',
        score, factor, scoredAt: score === null ? null : new Date(scoredAt ?? sentAt ?? 0),
        sendAt: sent ?? new Date('2026-12-01T02:00:00Z'), sentAt: sent, expiresAt: new Date('2027-01-31T00:00:00Z'),
      },
    });
  }

  it('counts a survey in the local month of its sentAt, whenever it was answered', async () => {
    const a = await staff('王丽', 'CONSULTANT');
    await survey(a, '2026-10-31T15:59:00Z', 4, 'paperwork'); // 31 October 23:59 in Shanghai: October
    await survey(a, '2026-10-31T16:30:00Z', 10); // 1 November 00:30 in Shanghai: November
    await survey(a, '2026-11-30T15:00:00Z', 7, 'delivery', '2026-12-01T03:00:00Z'); // sent 30 November, answered in December: November
    await survey(a, '2026-11-30T16:00:00Z', 9); // 1 December 00:00: December
    await survey(a, null, null); // scheduled, not sent: nowhere

    const november = await monthlyConsultantScores(t.ctx.db, storeId, '2026-11', SHANGHAI);
    expect(november.consultants).toHaveLength(1);
    expect(november.consultants[0]).toMatchObject({ consultantId: a, name: '王丽', surveysSent: 2, responses: 2, average: 8.5, belowEight: 1 });
    expect(november.factors.find((f) => f.factor === 'delivery')!.count).toBe(1);
    expect(november.factors.find((f) => f.factor === 'paperwork')!.count).toBe(0);

    const october = await monthlyConsultantScores(t.ctx.db, storeId, '2026-10', SHANGHAI);
    expect(october.store).toMatchObject({ surveysSent: 1, average: 4 });
    expect(october.factors.find((f) => f.factor === 'paperwork')!.count).toBe(1);
    expect((await monthlyConsultantScores(t.ctx.db, storeId, '2026-12', SHANGHAI)).store).toMatchObject({ surveysSent: 1, average: 9 });
    // The same instants in UTC would put the 16:30 survey in October.
    expect((await monthlyConsultantScores(t.ctx.db, storeId, '2026-10', 'UTC')).store.surveysSent).toBe(2);
  });

  it('queues the 月报 with the satisfaction summary to each active manager and admin on the 1st, benchmark named; a second run is a no-op', async () => {
    const a = await staff('王丽', 'CONSULTANT');
    const b = await staff('李强', 'CONSULTANT');
    const c = await staff('张敏', 'CONSULTANT');
    const m1 = await staff('周经理', 'MANAGER');
    const m2 = await staff('吴经理', 'MANAGER');
    await staff('郑经理', 'MANAGER', false); // inactive: gets nothing
    const nov = (day: number, hour = 3) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    for (const [i, s] of [10, 10, 9, 6, 8].entries()) await survey(a, nov(i + 2), s, s === 6 ? 'test_drive' : null);
    await survey(a, nov(8), null);
    for (let i = 0; i < 5; i += 1) await survey(b, nov(i + 2), 10);
    for (let i = 0; i < 4; i += 1) await survey(c, nov(i + 2), 10);
    await survey(c, '2026-12-01T00:30:00Z', 9); // December (08:30 on the 1st): not in November's figures

    const job = reportSummaryJob(t.ctx.db, t.clock, silentLogger, { id: storeId, timeZone: SHANGHAI }, 'month', 'http://showroom.test');
    expect(job).toMatchObject({ cron: '0 9 1 * *', timeZone: SHANGHAI, missed: 'catch-up' });
    expect(job.graceMs).toBeGreaterThanOrEqual(2 * 24 * 3600_000);
    const slot = latestSlot(job, new Date('2026-12-03T00:00:00Z'));
    expect(slot.toISOString()).toBe('2026-12-01T01:00:00.000Z'); // 1 December 09:00 in Shanghai
    t.clock.set(slot);
    await job.run(slot);

    const intents = await t.ctx.db.messageIntent.findMany({ orderBy: { dedupeKey: 'asc' } });
    const admin = t.setup.adminStaffId;
    expect(intents.map((i) => i.dedupeKey).sort()).toEqual([m1, m2, admin].map((id) => `report:month:${storeId}:2026-11-01:${id}`).sort());
    for (const intent of intents) {
      expect(intent).toMatchObject({ purpose: 'STAFF', kind: 'report_month', customerId: null, channel: null, address: null, state: 'PENDING' });
      expect(intent.sendAt.toISOString()).toBe(slot.toISOString());
      expect(intent.expiresAt.getTime()).toBeGreaterThan(slot.getTime());
    }
    expect(intents.map((i) => i.staffId).sort()).toEqual([m1, m2, admin].sort());
    const text = JSON.parse(intents[0]!.payload).text as string;
    expect(text).toContain('【月报】2026年11月');
    expect(text).toContain('详情：http://showroom.test/admin/reports?period=month&date=2026-11-01');
    expect(text).toContain('【月度满意度回访汇总】2026年11月');
    expect(text).toContain('本月标杆：李强');
    expect(text).not.toContain('本月无标杆');
    expect(text).toContain('王丽：回复 5/6，平均 8.6，NPS 40，低于8分 1');
    expect(text).toContain('张敏：回复 4/4，平均 10.0，NPS 100，低于8分 0');
    expect(text).toContain('试乘试驾 1');
    expect(text).not.toContain('陈大文');
    expect(text).not.toContain('+86');

    await job.run(slot);
    const again = await t.ctx.db.messageIntent.findMany({ orderBy: { dedupeKey: 'asc' } });
    expect(again).toEqual(intents);
  });

  it('says there is no benchmark when nobody has enough 10s; a store minimum of 4 makes one', async () => {
    const c = await staff('张敏', 'CONSULTANT');
    for (let i = 0; i < 4; i += 1) await survey(c, `2026-10-0${i + 1}T03:00:00Z`, 10);
    const text = monthlySummaryText(await monthlyConsultantScores(t.ctx.db, storeId, '2026-10', SHANGHAI), '示例店');
    expect(text).toContain('本月无标杆');
    expect(text).toContain('主要扣分环节：无');
    expect(monthlySummaryText(await monthlyConsultantScores(t.ctx.db, storeId, '2026-10', SHANGHAI, { benchmarkMinResponses: 4 }), '示例店')).toContain('本月标杆：张敏');
  });
});
