/** How a customer likes to be addressed; null: by their name. */
export const SALUTATIONS = ['先生', '女士'] as const;
export type Salutation = (typeof SALUTATIONS)[number];

/** Two-character surnames common enough that taking the first character would be wrong (欧阳娜娜 → 欧阳女士). */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '钟离',
  '端木', '独孤', '南宫', '西门', '闻人', '澹台', '公冶', '太史', '申屠', '赫连', '呼延', '万俟', '单于', '拓跋',
]);

/**
 * What the templates' {honorific} says: a Chinese name with a salutation becomes surname +
 * salutation (张伟 + 先生 → 张先生; compound surnames kept whole); any other name, or no
 * salutation, stays the name as given (never a guess at someone's gender).
 */
export function honorificOf(name: string, salutation: string | null): string {
  const trimmed = name.trim();
  if (!salutation || !(SALUTATIONS as readonly string[]).includes(salutation)) return trimmed;
  if (!/^\p{Script=Han}{2,4}$/u.test(trimmed)) return trimmed;
  const two = trimmed.slice(0, 2);
  const surname = COMPOUND_SURNAMES.has(two) && trimmed.length >= 3 ? two : trimmed.slice(0, 1);
  return `${surname}${salutation}`;
}
