import { cutText, sanitizeText, TextRefusedError } from '../../core/text/sanitize-text.ts';

/**
 * A text field of an admin form (or of a JSON body sent to the same route), cleaned by core's
 * one sanitizer and cut to at most `max` characters (never inside an emoji); '' when absent or not text. A broken character is
 * refused naming the field (the server answers 400). For the pages not yet on zod schemas (admin/ui/form-schema.ts).
 */
export function formText(body: unknown, name: string, options: { max: number; multiline?: boolean }): string {
  const sent = typeof body === 'object' && body !== null && Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
  const value: unknown = Array.isArray(sent) ? sent.at(-1) : sent; // a repeated form key: the last, as browsers' forms mean it
  if (typeof value !== 'string') return '';
  try {
    return cutText(sanitizeText(value, { multiline: options.multiline === true }), options.max);
  } catch (error) {
    if (error instanceof TextRefusedError) throw new TextRefusedError(error.rule, error.message, name);
    throw error;
  }
}
