const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ENGLISH_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Numbers that count something else ("3点", "10分钟", "2个人", "5天"): not scores, dropped. */
const OTHER_QUANTITY = /(?:\d+|[零〇一二两三四五六七八九十百]+)\s*(?:分钟|点|号|月|日|年|岁|个|次|万|元|块|公里|km|人|天|小时|周|位|辆|台)/g;

/** The scale written after a score ("8/10", "9 out of 10", "（满分10分）"): not a second number. */
const SCALE = /\s*(?:\/\s*10(?!\d)|out\s+of\s+10(?!\d)|[（(]?\s*满分\s*(?:10|十)\s*分?\s*[)）]?)/g;

/** A Chinese numeral from 1 to 99 (一, 十, 十二, 二十, 九十九); null for anything else. */
function chineseNumber(text: string): number | null {
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || text === '') return null;
  const [, tens, ten, units] = match;
  if (!ten) return tens && !units ? (CHINESE_DIGITS[tens] ?? null) : null;
  return (tens ? (CHINESE_DIGITS[tens] ?? 0) : 1) * 10 + (units ? (CHINESE_DIGITS[units] ?? 0) : 0);
}

/**
 * Every number the reply states as a score: ASCII digits, Chinese numerals that stand alone or
 * before 分 (but not the adverb 十分 in "十分满意"), and English words. Null when something
 * rules the reply out (a fraction, a long number such as a phone).
 */
function statedNumbers(text: string): number[] | null {
  if (/\d\s*[.．]\s*\d/.test(text) || /\d{3,}/.test(text) || /-\s*\d/.test(text)) return null;
  const numbers = [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
  const chineseOnly = /^[零〇一二两三四五六七八九十]+\s*分?$/.test(text);
  for (const m of text.matchAll(/[零〇一二两三四五六七八九十]+(?=\s*分)|[零〇一二两三四五六七八九十]+/g)) {
    const run = m[0];
    const after = text.slice((m.index ?? 0) + run.length).trimStart();
    const beforeFen = after.startsWith('分');
    const adverb = run === '十' && beforeFen && /^分\s*[\p{Script=Han}]/u.test(after) && !/^分\s*[，。,.!！]/u.test(after);
    if (adverb || !(chineseOnly || beforeFen)) continue;
    const value = chineseNumber(run);
    if (value === null) return null;
    numbers.push(value);
  }
  for (const m of text.matchAll(/\b(one|two|three|four|five|six|seven|eight|nine|ten)\b/g)) numbers.push(ENGLISH_NUMBERS[m[1] as string] as number);
  return numbers;
}

/**
 * Reads a 1–10 satisfaction score from a customer's reply: "9", "９", "9分", "10 分", "8/10",
 * "九分", "十", "满分", "给8分吧", "nine". Returns null for anything out of range, fractional,
 * with two different numbers, or not clearly a score ("十分满意" is "very satisfied", not 10).
 * Numbers that count something else ("明天3点", "等了10分钟") are not read as scores.
 */
export function parseScore(text: string): number | null {
  if (typeof text !== 'string') return null;
  const normalized = text.normalize('NFKC').toLowerCase().trim();
  if (normalized.length === 0 || normalized.length > 200) return null;
  const withoutScale = normalized.replace(SCALE, ' ').replace(OTHER_QUANTITY, ' ');
  const numbers = statedNumbers(withoutScale);
  if (numbers === null) return null;
  const distinct = [...new Set(numbers)];
  if (distinct.length === 0) return /满分|full\s*marks/.test(normalized) ? 10 : null;
  if (distinct.length > 1) return null;
  const [score] = distinct as [number];
  return score >= 1 && score <= 10 ? score : null;
}
