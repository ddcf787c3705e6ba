/** Words that steer any conversation, whatever step it is at. */
export type ControlWord = 'cancel' | 'restart';

const CANCEL = new Set(['取消', 'cancel', '退出登记']);
const RESTART = new Set(['重新开始', '重来', 'restart', 'start over']);

/** Recognizes a control word written on its own (full-width, case and trailing punctuation ignored). */
export function detectControlWord(text: string): ControlWord | null {
  const word = text.normalize('NFKC').trim().toLowerCase().replace(/[。.!！]+$/u, '');
  if (CANCEL.has(word)) return 'cancel';
  if (RESTART.has(word)) return 'restart';
  return null;
}
