import { COMPANIONS, MODEL_NOT_SURE, type Companion } from './registration-options.ts';

/**
 * Reading a customer's answers to the registration's questions: a number from a list, yes or no,
 * a model, companions, a request for a new code. Each takes the answer NFKC-normalized and
 * trimmed, and returns null when it is not an answer to that question.
 */

/** A number from `min` to `max` (one or two digits). */
export function pickNumber(answer: string, max: number, min = 1): number | null {
  if (!/^\d{1,2}$/.test(answer)) return null;
  const n = Number(answer);
  return n >= min && n <= max ? n : null;
}

/** Yes (1, or a word of `yes`) or no (2, or a word of `no`), trailing punctuation ignored. */
export function pickYesNo(answer: string, yes: string[], no: string[]): boolean | null {
  const word = answer.toLowerCase().replace(/[。.!！]+$/u, '');
  if (word === '1' || yes.includes(word)) return true;
  if (word === '2' || no.includes(word)) return false;
  return null;
}

/** One of `models` by number or name (the number after the last is "not sure"), or "not sure" in words. */
export function pickModel(answer: string, models: string[]): string | null {
  const index = pickNumber(answer, models.length + 1);
  if (index !== null) return index === models.length + 1 ? MODEL_NOT_SURE : (models[index - 1] ?? null);
  const lower = answer.toLowerCase();
  const byName = models.find((m) => m.toLowerCase() === lower);
  if (byName) return byName;
  return ['还没想好', '不确定', '没想好', 'not sure', 'not sure yet'].includes(lower) ? MODEL_NOT_SURE : null;
}

/** Companions by number, separated by spaces or commas; 0 or "alone" for none. */
export function pickCompanions(answer: string): Companion[] | null {
  if (['0', '无', '没有', '独自', '独自前来', 'alone', 'none', '跳过', 'skip'].includes(answer.toLowerCase())) return [];
  const parts = answer.split(/[\s,，、]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const picked = new Set<Companion>();
  for (const part of parts) {
    const n = pickNumber(part, COMPANIONS.length);
    if (n === null) return null;
    picked.add(COMPANIONS[n - 1] as Companion);
  }
  return [...picked];
}

/** What a request for a new code looks like, written on its own. */
const RESEND_WORDS = new Set(['重发', '重新发送', '再发一次', '重发验证码', '没收到', '没有收到', 'resend', 'send again', 'resend code']);

/** Whether the answer asks for a new code ("重发", "resend"). */
export function isResendRequest(answer: string): boolean {
  return RESEND_WORDS.has(answer.toLowerCase().replace(/[。.!！]+$/u, ''));
}
