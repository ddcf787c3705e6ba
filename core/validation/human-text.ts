import { z } from 'zod';
import { sanitizeText, TextRefusedError } from '../text/sanitize-text.ts';

/**
 * A zod schema for a human-entered text field: a string, cleaned by {@link sanitizeText}, then
 * 1–`max` characters. Each refusal names its own rule: missing or blank (`required`, which says
 * what to type), not text at all, a broken character, nothing visible once cleaned, too long.
 */
export function humanText(options: { required: string; max: number; multiline?: boolean }) {
  const { required, max } = options;
  return z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? required : 'must be text (a string)') })
    .transform((raw, ctx) => {
      try {
        const clean = sanitizeText(raw, { multiline: options.multiline === true });
        if (clean === '' && raw.trim() !== '') ctx.addIssue({ code: 'custom', message: 'has only invisible or control characters: type visible text' });
        return clean;
      } catch (error) {
        if (!(error instanceof TextRefusedError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    })
    .pipe(z.string().min(1, required).max(max, `must be at most ${max} characters`));
}
