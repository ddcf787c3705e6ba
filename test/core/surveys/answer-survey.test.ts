import { describe, expect, it } from 'vitest';
import { answerSurvey, type SurveyFacts } from '../../../core/surveys/answer-survey.ts';

const now = new Date('2026-11-23T02:05:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const open: SurveyFacts = { state: 'SENT', locale: 'zh-CN', score: null, scoredAt: null, factor: null, comment: null, unclearCount: 0 };

describe('answerSurvey', () => {
  it('completes at once on a score of 8 or more', () => {
    const step = answerSurvey(open, '9分', now, 10);
    expect(step?.update).toMatchObject({ score: 9, scoredAt: now, state: 'COMPLETED', completedAt: now });
    expect(step?.replies[0]?.text).toContain('非常感谢');
  });

  it('asks which step disappointed after a low score, then for a comment, then thanks', () => {
    const low = answerSurvey(open, '5', now, 10)!;
    expect(low.update).toMatchObject({ score: 5, state: 'ANSWERING' });
    expect(low.replies[0]).toMatchObject({ choices: expect.arrayContaining([{ label: '1. 接待等候', value: '1' }]) });
    const factor = answerSurvey({ ...open, ...low.update, state: 'ANSWERING' } as SurveyFacts, '3', minutes(1), 10)!;
    expect(factor.update).toEqual({ factor: 'test_drive' });
    const comment = answerSurvey({ ...open, score: 5, scoredAt: now, state: 'ANSWERING', factor: 'test_drive' }, '试驾车没油了', minutes(2), 10)!;
    expect(comment.update).toMatchObject({ comment: '试驾车没油了', state: 'COMPLETED' });
    expect(comment.replies[0]?.text).toContain('门店经理');
  });

  it('takes a factor by its name, and "无" as no comment', () => {
    const answering: SurveyFacts = { ...open, score: 4, scoredAt: now, state: 'ANSWERING' };
    expect(answerSurvey(answering, '价格不透明，价格透明度差', minutes(1), 10)?.update).toEqual({ factor: 'price_transparency' });
    expect(answerSurvey({ ...answering, factor: 'paperwork' }, '无', minutes(1), 10)?.update).toMatchObject({ comment: '' });
    expect(answerSurvey(answering, '嗯', minutes(1), 10)?.update).toEqual({});
  });

  it('re-asks an unclear reply once with a hint, then leaves it to staff', () => {
    const first = answerSurvey(open, '还行吧', now, 10)!;
    expect(first.update).toEqual({ unclearCount: 1 });
    expect(first.replies[0]?.text).toBe('请回复 1 到 10 之间的数字，例如 9。');
    const second = answerSurvey({ ...open, unclearCount: 1 }, '就那样', now, 10)!;
    expect(second).toMatchObject({ update: { state: 'STAFF_FOLLOW_UP' }, handToStaff: true });
    const then = answerSurvey({ ...open, unclearCount: 1 }, '9', now, 10)!;
    expect(then.update).toMatchObject({ score: 9, state: 'COMPLETED' });
  });

  it('replaces a score corrected within the grace period, before anything is escalated', () => {
    const low: SurveyFacts = { ...open, score: 6, scoredAt: now, state: 'ANSWERING' };
    const corrected = answerSurvey(low, '不对，应该是9分', minutes(5), 10)!;
    expect(corrected.update).toMatchObject({ score: 9, state: 'COMPLETED', factor: null });
    expect(corrected.replies[0]?.text).toContain('已为您更正为 9 分');
    const high: SurveyFacts = { ...open, score: 9, scoredAt: now, state: 'COMPLETED' };
    expect(answerSurvey(high, '打错了，是6分', minutes(3), 10)?.update).toMatchObject({ score: 6, state: 'ANSWERING' });
  });

  it('takes no correction after the grace period', () => {
    expect(answerSurvey({ ...open, score: 9, scoredAt: now, state: 'COMPLETED' }, '应该是6分', minutes(11), 10)).toBeNull();
    expect(answerSurvey({ ...open, score: 6, scoredAt: now, state: 'ANSWERING' }, '不对，应该是9分', minutes(11), 10)?.update).toEqual({});
  });

  it('a number in the factor question is a factor, not a correction', () => {
    expect(answerSurvey({ ...open, score: 6, scoredAt: now, state: 'ANSWERING' }, '2', minutes(1), 10)?.update).toEqual({ factor: 'product_explanation' });
  });

  it('lets the customer leave the survey only', () => {
    expect(answerSurvey(open, '不想做问卷', now, 10)).toMatchObject({ update: { state: 'DECLINED' } });
  });

  it('answers in English for an English survey', () => {
    expect(answerSurvey({ ...open, locale: 'en' }, 'hmm', now, 10)?.replies[0]?.text).toMatch(/number from 1 to 10/);
  });
});
