/** What a customer asks for in chat: to see their data, to erase it, or to confirm the erasure. */
export type DataRequestWord = 'access' | 'erasure' | 'confirm_erasure';

/** Phrases that ask for erasure wherever they stand ("请帮我删除我的信息，谢谢"). */
const ERASURE = [
  '删除我的信息', '删除我的数据', '删除我的个人信息', '删掉我的信息', '清除我的信息', '注销我的信息',
  'delete my data', 'delete my information', 'delete my info', 'delete my personal data', 'erase my data', 'remove my data', 'forget me',
];
/** Phrases that ask to see or copy the data wherever they stand. */
const ACCESS = [
  '查询我的信息', '查看我的信息', '查询我的数据', '查看我的数据', '查询我的个人信息', '查看我的个人信息', '复制我的信息', '导出我的信息',
  'access my data', 'copy of my data', 'export my data', 'see my data', 'what data do you have', 'what do you know about me',
];
/** Short requests that count only as the whole message ("我的信息"), not inside a sentence ("我的信息填错了"). */
const ACCESS_WHOLE = ['我的信息', '我的数据', '我的个人信息', 'my data', 'my information', 'my info', 'my personal data'];
/** The confirmation of an erasure: only the whole message. */
const CONFIRM = ['确认删除', 'confirm delete', 'confirm deletion', 'yes delete'];

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/**
 * Recognizes a data request (PIPL: access, copy, deletion) in Chinese or English. Erasure wins
 * over access ("delete my data" holds "my data"); a confirmation counts only as the whole message.
 */
export function detectDataRequestWord(text: string): DataRequestWord | null {
  const normalized = normalize(text);
  const whole = normalized.replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '');
  if (CONFIRM.includes(whole)) return 'confirm_erasure';
  if (ERASURE.some((phrase) => normalized.includes(phrase))) return 'erasure';
  if (ACCESS.some((phrase) => normalized.includes(phrase)) || ACCESS_WHOLE.includes(whole)) return 'access';
  return null;
}
