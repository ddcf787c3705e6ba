import { describe, expect, it } from 'vitest';
import { detectOptOut } from '../../../core/consent/opt-out.ts';

describe('detectOptOut', () => {
  it.each(['TD', 'td', 'Ｔ Ｄ', '退订', 'R', 'r', '拒收', 'STOP', 'stop.', 'Unsubscribe', '别再发了', '谢谢，不要再给我发消息了', '请不要再联系我', 'please stop sending me messages', '退订TD'])(
    '"%s" stops everything',
    (text) => expect(detectOptOut(text)).toBe('all'),
  );

  it.each(['不想做问卷', '我不想做问卷了', 'skip the survey', '不想评价'])('"%s" leaves only the survey', (text) => {
    expect(detectOptOut(text)).toBe('survey');
  });

  it.each(['张三', 'Richard', 'TD Bank 的张先生', 'Ford Ranger', 'RAV4', '9分', '满意', 'r8', 'n', 'N', 'no', '', '   ', '我想订一台车', 'stopwatch'])(
    '"%s" is not an opt-out',
    (text) => expect(detectOptOut(text)).toBeNull(),
  );
});
