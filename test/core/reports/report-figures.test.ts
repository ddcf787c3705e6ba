// Every figure against the hand-counted fixture of test/helpers/report-fixture.ts (its comments say what is where).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, buildTrend, type Report, type ReportRequest } from '../../../core/reports/build-report.ts';
import { periodOf } from '../../../core/reports/report-period.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';
import { seedReportFixture, type ReportFixture } from '../../helpers/report-fixture.ts';

let t: TestCore;
let f: ReportFixture;
const SHANGHAI = 'Asia/Shanghai';

beforeAll(async () => {
  t = await createTestCore();
  f = await seedReportFixture(t.ctx.db, t.setup.storeId);
});
afterAll(async () => {
  await t.close();
});

const request = (kind: 'day' | 'week' | 'month', date: string, opts: { consultantId?: string; group?: boolean } = {}): ReportRequest => ({
  stores: opts.group ? [{ id: f.storeId, timeZone: SHANGHAI }, { id: f.otherStoreId, timeZone: 'America/New_York' }] : [{ id: f.storeId, timeZone: SHANGHAI }],
  period: periodOf(kind, date), consultantId: opts.consultantId ?? null, now: t.clock.now(),
});
const report = (kind: 'day' | 'week' | 'month', date: string, opts: { consultantId?: string; group?: boolean } = {}): Promise<Report> => buildReport(t.ctx.db, request(kind, date, opts));

describe('reception', () => {
  it('counts the 20th in Shanghai time: the 23:30 visit in, the 00:30 one out; 3 parties (one withdrawn, one after midnight)', async () => {
    const r = (await report('day', '2026-11-20')).reception;
    expect(r).toMatchObject({ registrations: 2, newCustomers: 1, returningCustomers: 1, walkInParties: 3, vouchersIssued: 2, vouchersRedeemed: 1, giftStockLeft: 200, retentionTarget: 0.95 });
    expect(r.retentionRate).toBeCloseTo(2 / 3, 10);
    expect(r.bySource).toEqual([{ key: expect.any(String), label: '展厅海报', count: 2 }]);
    expect(r.byHeardFrom.map((b) => [b.label, b.count])).toEqual([['网络/汽车网站', 1], ['路过进店', 1]]);
  });

  it('counts the week from Monday 00:00 to Sunday 24:00', async () => {
    const r = (await report('week', '2026-11-22')).reception;
    expect(r).toMatchObject({ registrations: 4, newCustomers: 3, returningCustomers: 1, walkInParties: 4, retentionRate: 1 });
    expect(r.byChannel.map((b) => [b.key, b.count])).toEqual([['WEB', 3], ['TELEGRAM', 1]]);
    expect(r.byHeardFrom.map((b) => [b.key, b.count])).toEqual([['online', 2], ['referral', 1], ['walk_in', 1]]);
    expect(r.bySource.map((b) => [b.label, b.count])).toEqual([['无来源（接口登记）', 2], ['展厅海报', 2]]);
  });

  it('counts the month in the store zone: 1 Nov 00:00 in, 1 Dec 00:10 out', async () => {
    expect((await report('month', '2026-11-05')).reception).toMatchObject({ registrations: 6, newCustomers: 5 });
  });

  it('sums a dealer group, each store in its own zone (23:30 in New York is the 21st in UTC)', async () => {
    expect((await report('day', '2026-11-20', { group: true })).reception.registrations).toBe(3);
  });

  it('gives a consultant the visits they received, without the desk count or stock', async () => {
    expect((await report('week', '2026-11-22', { consultantId: f.a })).reception).toMatchObject({
      registrations: 2, newCustomers: 1, walkInParties: null, retentionRate: null, vouchersIssued: 2, vouchersRedeemed: 1, giftStockLeft: null,
    });
  });
});

describe('callbacks, complaints, funnel, deliveries, messages of the week', () => {
  let r: Report;
  beforeAll(async () => {
    r = await report('week', '2026-11-22');
  });

  it('callbacks: 6 sent, 4 answered (10, 6, 10, 7): average 33/4 = 8.25 → 8.3, NPS (2 − 1)/4 = 25, two below 8', () => {
    expect(r.callbacks).toMatchObject({ due: 6, sent: 6, answered: 4, awaiting: 1, expired: 1, declined: 0, handedToStaff: 0 });
    expect(r.callbacks.answerRate).toBeCloseTo(4 / 6, 10);
    expect(r.callbacks.scores).toMatchObject({ average: 8.3, nps: 25, belowEight: 2, promoterCount: 2, detractorCount: 1, passiveCount: 1 });
    expect(r.callbacks.scores.distribution).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 0, 9: 0, 10: 2 });
    expect(r.callbacks.lowScoreFactors.map((l) => [l.label, l.count])).toEqual([['交车', 1], ['试乘试驾', 1]]);
    expect(r.callbacks.recalls).toEqual({ opened: 4, closedInTime: 1, closedLate: 0, overdue: 1, open: 2 });
  });

  it('complaints: 2 opened, 1 taken within 30 minutes, 1 closed, by category', () => {
    expect(r.complaints).toMatchObject({ opened: 2, takenInTime: 1, takenInTimeRate: 0.5, closed: 1, open: 1 });
    expect(r.complaints.byCategory.map((c) => [c.label, c.count])).toEqual([['未分类', 1], ['服务态度与流程', 1]]);
  });

  it('funnel: the week\'s new leads H, O, F → 3 registered, 3 graded, 1 ordered; one lost to 竞品A', () => {
    expect(r.funnel).toMatchObject({ registered: 3, graded: 3, ordered: 1, delivered: 0, lost: 1, staleFlagged: 0, pooled: 0 });
    expect(r.funnel.byGrade).toMatchObject({ H: 1, O: 1, F: 1, N: 0 });
    expect(r.funnel.conversionRate).toBeCloseTo(1 / 3, 10);
    expect(r.funnel.lostByLevel.map((l) => [l.label, l.count])).toEqual([['2级 已在别处购车', 1]]);
    expect(r.funnel.lostToCompetitor.map((l) => [l.label, l.count])).toEqual([['竞品A', 1]]);
    expect(r.funnel.bySource.map((s) => [s.key, s.leads, s.ordered])).toEqual([['online', 1, 1], ['referral', 1, 0], ['walk_in', 1, 0]]);
  });

  it('deliveries: 1 order, 1 handover, 1 reminder, the delivery survey (7), 1 first service due (handed over 22 Aug)', () => {
    expect(r.deliveries).toEqual({ orders: 1, handovers: 1, cancelled: 0, remindersSent: 1, surveysSent: 1, surveysAnswered: 1, surveyAverage: 7, surveyBelowEight: 1, firstServicesDue: 1 });
  });

  it('messages: 5 made (2 sent, 1 dead, 1 unknown, 1 held for quiet hours), 1 handed to a consultant', () => {
    expect(r.messages).toEqual({ made: 5, sent: 2, waiting: 1, dead: 1, unknown: 1, expired: 0, cancelled: 0, heldForQuietHours: 1, handedToConsultants: 1 });
  });
});

describe('consultants', () => {
  it('ranks by average (李强 8.5 before 王丽 8.0) with follow-ups against 3 a day over the 5 working days, and the change from last week', async () => {
    const { rows, benchmarks } = (await report('week', '2026-11-22')).consultants;
    expect(rows.map((row) => row.name)).toEqual(['李强', '王丽']);
    expect(rows[0]).toMatchObject({
      staffId: f.b, rank: 1, followUps: 1, followUpsExpected: 15, gradeChanges: 1, overdueLeads: 0, newLeads: 2, converted: 1, conversionRate: 0.5,
      orders: 1, surveysSent: 3, responses: 2, average: 8.5, isBenchmark: false, change: { followUps: -1, orders: 1, average: null, rank: null },
    });
    expect(rows[1]).toMatchObject({
      staffId: f.a, rank: 2, followUps: 3, followUpsExpected: 15, gradeChanges: 1, overdueLeads: 1, newLeads: 1, converted: 0, conversionRate: 0,
      orders: 0, surveysSent: 3, responses: 2, average: 8, belowEight: 1, change: { followUps: 2, orders: 0 },
    });
    expect(benchmarks).toEqual([]);
  });

  it('counts only the working days begun so far: on Wednesday the 18th, 3 days × 3', async () => {
    const { rows } = (await buildReport(t.ctx.db, { ...request('week', '2026-11-18'), now: new Date('2026-11-18T02:00:00Z') })).consultants;
    expect(rows.every((row) => row.followUpsExpected === 9)).toBe(true);
  });

  it('gives a consultant their own row only, and no messages', async () => {
    const mine = await report('week', '2026-11-22', { consultantId: f.a });
    expect(mine.consultants.rows.map((row) => row.staffId)).toEqual([f.a]);
    expect(mine.messages).toBeNull();
    expect(mine.callbacks).toMatchObject({ sent: 3, answered: 2 });
  });
});

describe('trend', () => {
  it('gives 8 weeks ending with this one, with this week\'s headline figures', async () => {
    const trend = await buildTrend(t.ctx.db, request('week', '2026-11-22'));
    expect(trend).toHaveLength(8);
    expect(trend.at(-1)).toMatchObject({ label: '第47周', registrations: 4, walkInParties: 4, retentionRate: 1, surveysSent: 6, averageScore: 8.3, followUps: 4, orders: 1, handovers: 1, complaints: 2 });
    expect(trend.at(-2)).toMatchObject({ label: '第46周', registrations: 1, followUps: 3, complaints: 1 });
  });

  it('puts a visit at exactly local midnight on the 1st in that month, and sums a group across zones', async () => {
    const months = await buildTrend(t.ctx.db, request('month', '2026-11-05'));
    expect(months.at(-1)).toMatchObject({ label: '2026-11', registrations: 6 });
    expect(months.at(-2)).toMatchObject({ label: '2026-10', registrations: 0 });
    const days = await buildTrend(t.ctx.db, request('day', '2026-11-20', { group: true }));
    expect(days.at(-1)).toMatchObject({ label: '11-20', registrations: 3, walkInParties: 3 });
    expect(days.at(-2)).toMatchObject({ label: '11-19', registrations: 0 });
    const mine = await buildTrend(t.ctx.db, request('week', '2026-11-22', { consultantId: f.a }));
    expect(mine.at(-1)).toMatchObject({ registrations: 2, walkInParties: null, surveysSent: 3, averageScore: 8, followUps: 3, orders: 0 });
  });
});
