/** Longest name or form of address we keep. */
export const MAX_NAME_LENGTH = 30;

/** Collapses white space and full-width forms, so "张　伟 " and "张 伟" are stored alike. */
export function cleanName(raw: string): string {
  return raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/**
 * Whether a cleaned name is plausible: 1–30 characters, at least one letter (any script),
 * and no markup or links (it is shown to staff and in messages).
 */
export function isPlausibleName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && /\p{L}/u.test(name) && !/[<>{}\\]|https?:|www\./i.test(name);
}
