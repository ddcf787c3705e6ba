/**
 * The survey follow-up's every-minute look: `hasWork` may answer false only when a run would
 * change nothing (the ticker then skips the run). Checked on random sets of surveys in every
 * state, with and without their question sent, scored high or low, inside or past the correction
 * grace, with or without a ticket: whenever a run changes surveys or tickets, hasWork said yes
 * beforehand; and after a run that had everything to do, the next look is idle unless a grace
 * period is still running.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { surveyKey } from '../../../core/surveys/schedule-survey.ts';
import { surveyFollowUpHasWork, surveyFollowUpJob } from '../../../core/surveys/survey-follow-up-job.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const MINUTE = 60_000;
const STATES = ['SCHEDULED', 'SENT', 'ANSWERING', 'COMPLETED', 'EXPIRED', 'DECLINED', 'STAFF_FOLLOW_UP'] as const;

const surveyCase = fc.record({
  state: fc.constantFrom(...STATES),
  sendAtMinutes: fc.integer({ min: -3000, max: 600 }),
  expiresInMinutes: fc.integer({ min: -600, max: 3000 }),
  question: fc.constantFrom('none', 'PENDING', 'SENT', 'CANCELLED'),
  score: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  scoredMinutesAgo: fc.integer({ min: -5, max: 120 }),
  ticket: fc.boolean(),
});

type SurveyCase = typeof surveyCase extends fc.Arbitrary<infer T> ? T : never;

let t: TestApp;
let storeId: string;
let customerId: string;
let surveyNumber = 0;

beforeAll(async () => {
  t = await createTestApp();
  storeId = t.setup.storeId;
  customerId = (await t.ctx.db.customer.create({ data: { name: '张伟', phone: '+8613812345678' } })).id;
});
afterAll(async () => {
  await t.close();
});

async function plant(cases: SurveyCase[]): Promise<void> {
  const db = t.ctx.db;
  const now = t.clock.now().getTime();
  for (const c of cases) {
    const survey = await db.survey.create({
      data: {
        storeId, customerId, kind: 'VISIT', subjectId: `visit-${(surveyNumber += 1)}`, state: c.state,
        sendAt: new Date(now + c.sendAtMinutes * MINUTE), expiresAt: new Date(now + c.expiresInMinutes * MINUTE),
        ...(c.score === null ? {} : { score: c.score, scoredAt: new Date(now - c.scoredMinutesAgo * MINUTE) }),
      },
    });
    if (c.question !== 'none') {
      await db.messageIntent.create({
        data: {
          dedupeKey: surveyKey(survey.id), storeId, customerId, purpose: 'SERVICE', kind: 'visit_survey', payload: '{"kind":"text","text":"?"}',
          sendAt: survey.sendAt, expiresAt: survey.expiresAt, state: c.question,
          ...(c.question === 'SENT' ? { sentAt: survey.sendAt } : {}),
        },
      });
    }
    if (c.ticket) {
      await db.ticket.create({ data: { reference: `TS-${surveyNumber}`, storeId, type: 'RECALL', customerId, surveyId: survey.id, description: '-', dueAt: new Date(now + 48 * 60 * MINUTE), createdAt: new Date(now) } });
    }
  }
}

/** What a run may change: every survey's state and sent time, and the tickets. */
async function snapshot(): Promise<string> {
  const db = t.ctx.db;
  const surveys = await db.survey.findMany({ orderBy: { id: 'asc' }, select: { id: true, state: true, sentAt: true } });
  const tickets = await db.ticket.findMany({ orderBy: { id: 'asc' }, select: { surveyId: true } });
  return JSON.stringify({ surveys, tickets });
}

async function clear(): Promise<void> {
  const db = t.ctx.db;
  await db.messageIntent.deleteMany();
  await db.alert.deleteMany();
  await db.auditEntry.deleteMany();
  await db.ticket.deleteMany();
  await db.survey.deleteMany();
}

describe('survey follow-up: hasWork', () => {
  it('answers false only when a run would change nothing', async () => {
    const job = surveyFollowUpJob(t.ctx.db, t.clock, silentLogger, { id: storeId, timeZone: 'Asia/Shanghai' });
    await fc.assert(fc.asyncProperty(fc.array(surveyCase, { maxLength: 6 }), async (cases) => {
      await clear();
      await plant(cases);
      const now = t.clock.now();
      const said = await surveyFollowUpHasWork(t.ctx.db, storeId, now);
      const before = await snapshot();
      await job.run(now);
      const changed = (await snapshot()) !== before;
      if (changed) expect(said).toBe(true);
      // Done: what is left is a score inside its grace (10 min by default), nothing else.
      const inGrace = cases.some((c) => c.score !== null && c.score < 8 && !c.ticket && c.scoredMinutesAgo >= 0 && c.scoredMinutesAgo < 10);
      if (!inGrace) expect(await surveyFollowUpHasWork(t.ctx.db, storeId, now)).toBe(false);
    }), { numRuns: 60 });
  }, 120_000);

  it('is idle for a store with nothing open', async () => {
    await clear();
    expect(await surveyFollowUpHasWork(t.ctx.db, storeId, t.clock.now())).toBe(false);
  });
});
