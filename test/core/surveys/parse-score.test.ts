import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScore } from '../../../core/surveys/parse-score.ts';

/** Replies as customers write them, and the score each states. */
const SCORES: [string, number][] = [
  ['9', 9], ['10', 10], ['1', 1], [' 8 ', 8], ['７', 7], ['９', 9], ['１０', 10], ['10。', 10], ['9！', 9], ['8~', 8],
  ['9分', 9], ['10分', 10], ['10 分', 10], ['１０分', 10], ['6分', 6], ['3分', 3], ['10分！', 10], ['9分吧', 9], ['8分。', 8],
  ['8/10', 8], ['8 / 10', 8], ['10/10', 10], ['7分/10分', 7], ['9 out of 10', 9], ['8分（满分10分）', 8], ['9（十分制）', 9], ['8分(十分制)', 8],
  ['九', 9], ['十', 10], ['三', 3], ['九分', 9], ['十分', 10], ['十分。', 10], ['八分', 8], ['两分', 2], ['五分吧', 5],
  ['满分', 10], ['满分！', 10], ['给满分', 10], ['满分10分', 10], ['10分满分', 10], ['满分十分', 10],
  ['给9分吧', 9], ['我打8分', 8], ['打10分', 10], ['评9分', 9], ['给个8分', 8], ['我给10', 10], ['嗯，9', 9], ['9分，服务很好', 9],
  ['8分，服务很好', 8], ['10分非常满意', 10], ['满意，10分', 10], ['5分，等太久了', 5], ['7分 服务一般', 7], ['4分，销售不太耐心', 4],
  ['不对，应该是8分', 8], ['改成9分', 9], ['9分，9分！', 9], ['6分，等了20分钟', 6], ['8分，明天3点再联系我', 8], ['2个人来的，9分', 9],
  ['nine', 9], ['Ten', 10], ['I give it a 7', 7], ['9 points', 9], ['score: 8', 8],
];

/** Replies that must not be read as a score. */
const REFUSED = [
  '0', '11', '100', '0分', '-1', '-5分', '12分', '8.5', '8.0', '９.５分', '7.5/10', '7到8分', '8 or 9', '8-9分', '8分，比上次的7分好',
  '十分满意', '十分不满意', '十分感谢', '一般', '看一下', '两个人来的', '13812345678', '2026年', '', '   ', '好', '满意',
  '不错', '很好', 'TD', '十一分', '二十', '二十分', 'eleven', 'zero', '等了10分钟', '明天3点', '下午3点来', '1分钟后回复', '第一次来',
  '我想买车', '价格多少', 'ok', '？', '9.9', '一百分', '百分百满意',
];

describe('parseScore', () => {
  it(`has a table of at least 80 cases (${SCORES.length + REFUSED.length})`, () => {
    expect(SCORES.length + REFUSED.length).toBeGreaterThanOrEqual(80);
  });

  it.each(SCORES)('reads %j as %d', (text, score) => {
    expect(parseScore(text)).toBe(score);
  });

  it.each(REFUSED)('refuses %j', (text) => {
    expect(parseScore(text)).toBeNull();
  });

  it('never throws, and answers only an integer from 1 to 10 or null, whatever it is given', () => {
    const scoreish = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.stringMatching(/^[0-9０-９一二两三四五六七八九十百满分点/ .,，。!！?-]{0,12}$/),
      fc.tuple(fc.integer({ min: -50, max: 150 }), fc.constantFrom('', '分', ' 分', '/10', '分吧', '.5')).map(([n, unit]) => `${n}${unit}`),
    );
    fc.assert(
      fc.property(scoreish, (text) => {
        const score = parseScore(text);
        return score === null || (Number.isInteger(score) && score >= 1 && score <= 10);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns null for values that are not text', () => {
    expect(parseScore(undefined as unknown as string)).toBeNull();
    expect(parseScore(9 as unknown as string)).toBeNull();
  });
});
