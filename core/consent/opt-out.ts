/** `all`: stop every message; `survey`: leave only the current survey. */
export type OptOut = 'all' | 'survey';

/** Whole-message codes (SMS conventions and their English twins). */
const ALL_CODES = new Set(['td', 't', 'r', 'stop', 'unsubscribe', '退订', '拒收', '退订td', 'td退订', '取消订阅', '停止', '勿扰']);
/** Phrases that refuse all messages wherever they stand in the message. */
const ALL_PHRASES = [
  '别再发', '不要再发', '不要发了', '别发了', '别给我发', '不要给我发', '别再给我发', '不要再给我发', '停止发送', '不再接收', '不想收到', '不想再收到',
  '不要再联系', '别再联系', '别联系我', '不要联系我', '请勿打扰', '取消订阅', '退订',
  'stop sending', 'stop messaging', 'stop texting', 'unsubscribe', 'do not contact', "don't contact", 'dont contact',
  'do not message', "don't message", 'leave me alone', 'opt out', 'opt-out',
];
/** Phrases that leave the current survey only. */
const SURVEY_PHRASES = [
  '不想做问卷', '不做问卷', '不想填问卷', '不填问卷', '跳过问卷', '不参加调查', '不想参加调查', '不想做调查', '不做调查',
  '不想评价', '不想打分', '不想回答', '不做回访', '不接受回访',
  'skip the survey', 'skip survey', 'stop the survey', 'stop survey', 'no survey', 'no more survey', 'not the survey', "don't want to answer",
];

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/**
 * Recognizes an opt-out before any flow sees the message. Short codes count only as the
 * whole message ("TD", "R"), so a name or a model that merely contains them is not one;
 * phrases count anywhere ("谢谢，别再发了"). A survey refusal is told apart from "stop all".
 */
export function detectOptOut(text: string): OptOut | null {
  if (typeof text !== 'string') return null;
  const normalized = normalize(text);
  const bare = normalized.replace(/[\s\p{P}\p{S}]+/gu, '');
  if (bare.length === 0) return null;
  if (SURVEY_PHRASES.some((phrase) => normalized.includes(phrase))) return 'survey';
  if (ALL_CODES.has(bare)) return 'all';
  if (ALL_PHRASES.some((phrase) => normalized.includes(phrase))) return 'all';
  return null;
}
