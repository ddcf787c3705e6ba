import { describe, expect, it } from 'vitest';
import { detectOptOut } from '../../../core/consent/opt-out.ts';

/** Replies that stop every message. */
const ALL = [
  'TD', 'td', 'Td', 'ＴＤ', 'Ｔ Ｄ', 'TD。', 'T', 'R', 'r', '退订', '退订。', '退订TD', 'TD退订', '拒收', '取消订阅', '停止', '勿扰',
  'STOP', 'stop', 'Stop.', 'Unsubscribe', 'unsubscribe me', 'please stop sending me messages', 'stop messaging me', 'do not contact me again',
  "don't message me", 'leave me alone', 'opt out', '别再发了', '别再发了！', '不要再发了', '不要发了', '别发了', '谢谢，不要再给我发消息了',
  '别给我发短信了', '请不要再联系我', '别再联系我', '不要联系我', '请勿打扰', '不想收到这些消息', '不想再收到了', '不再接收',
];

/** Replies that leave only the current survey. */
const SURVEY = ['不想做问卷', '我不想做问卷了', '不做问卷', '不填问卷', '跳过问卷', '不参加调查', '不想评价', '不想打分', '不想回答', '不接受回访', 'skip the survey', 'no survey please', 'stop the survey'];

/** Near misses: names, models, scores and ordinary replies that merely contain the letters or words. */
const NOT_OPT_OUT = [
  '张三', 'Richard', 'Robert', 'TD Bank 的张先生', 'Ford Ranger', 'RAV4', 'RX350', 'Model T', 'TT', 'r8', 'n', 'N', 'no', 'NO!', '不',
  '不需要', '2', '9分', '满意', '十分满意', '我想订一台车', 'stopwatch', 'nonstop', 'tdi 发动机', '订车', '订单什么时候到', '取消',
  '重新开始', '停车场在哪', '发票怎么开', '别着急', '不要紧', '好的谢谢', '', '   ', '？', '我退了一辆车', '问卷在哪里填',
];

describe('detectOptOut', () => {
  it(`has a table of at least 60 cases (${ALL.length + SURVEY.length + NOT_OPT_OUT.length})`, () => {
    expect(ALL.length + SURVEY.length + NOT_OPT_OUT.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ALL)('"%s" stops everything', (text) => {
    expect(detectOptOut(text)).toBe('all');
  });

  it.each(SURVEY)('"%s" leaves only the survey', (text) => {
    expect(detectOptOut(text)).toBe('survey');
  });

  it.each(NOT_OPT_OUT)('"%s" is not an opt-out', (text) => {
    expect(detectOptOut(text)).toBeNull();
  });
});
