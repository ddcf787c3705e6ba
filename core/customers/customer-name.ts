/** Longest name or form of address we keep. */
export const MAX_NAME_LENGTH = 30;

/**
 * Whether a name (cleaned by core/text/sanitize-text.ts) is plausible: 1–30 characters, at least one letter (any script),
 * and no markup or links (it is shown to staff and in messages).
 */
export function isPlausibleName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && /\p{L}/u.test(name) && !/[<>{}\\]|https?:|www\./i.test(name);
}
