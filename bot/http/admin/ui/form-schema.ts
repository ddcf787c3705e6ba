import { z } from 'zod';
import { cutText, sanitizeText, TextRefusedError } from '../../../../core/text/sanitize-text.ts';

/** Per field name, what is wrong with it (in Chinese, shown beside the field). */
export type FieldErrors = Record<string, string>;

/** What the staff member typed, per field, to show again in a refused form. */
export type TypedValues = Record<string, string>;

/** A form or query read against its schema: the values, or per field what is wrong plus what was typed. */
export type ReadResult<T> =
  | { ok: true; data: T; typed: TypedValues }
  | { ok: false; errors: FieldErrors; typed: TypedValues };

const BROKEN_TEXT = '含有无法识别的字符（例如半个表情符号），请重新输入。';

/**
 * A text field, cleaned by core's one sanitizer and cut to at most `max` characters ('' when
 * absent). Sent twice (`a=1&a=2`), it is refused: one field, one value. `required` names the
 * field in the message when it is empty.
 */
export function text(max: number, options: { multiline?: boolean; required?: string } = {}) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string => {
      if (value === undefined || value === null) value = '';
      if (typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', message: '只能填写一个值。' });
        return z.NEVER;
      }
      let cleaned: string;
      try {
        cleaned = cutText(sanitizeText(value, { multiline: options.multiline === true }), max);
      } catch (error) {
        if (!(error instanceof TextRefusedError)) throw error;
        ctx.addIssue({ code: 'custom', message: BROKEN_TEXT });
        return z.NEVER;
      }
      if (options.required && cleaned === '') {
        ctx.addIssue({ code: 'custom', message: `请填写${options.required}。` });
        return z.NEVER;
      }
      return cleaned;
    });
}

/** A field whose value is one of `values`; anything else is refused with `message`. */
export function oneOf<const V extends string>(values: readonly V[], message: string) {
  return text(40).pipe(z.custom<V>((value) => values.includes(value as V), { message }));
}

/** A field repeated once per value (`tag=a&tag=b`, or one value): every value cleaned as `text(max)`. */
export function repeated(max: number) {
  return z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(text(max)));
}

/** The strings of a body or query as typed (the last of a repeated key), to put back into a refused form. */
export function typedValues(input: unknown): TypedValues {
  if (typeof input !== 'object' || input === null) return {};
  const typed: TypedValues = {};
  for (const [name, value] of Object.entries(input)) {
    const last: unknown = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') typed[name] = last;
  }
  return typed;
}

/**
 * A broken character (a lone UTF-16 surrogate) in any text sent is refused before anything else,
 * naming the field: the server answers 400 (a page for a browser, JSON with the field otherwise).
 */
function refuseBrokenText(input: unknown): void {
  if (typeof input !== 'object' || input === null) return;
  for (const [name, value] of Object.entries(input)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== 'string') continue;
      try {
        sanitizeText(text);
      } catch (error) {
        if (error instanceof TextRefusedError) throw new TextRefusedError(error.rule, error.message, name);
        throw error;
      }
    }
  }
}

/** Reads a body or query (of any shape: a form, JSON, nothing) against its schema; refusals name each field. */
export function readFields<S extends z.ZodType>(schema: S, input: unknown): ReadResult<z.output<S>> {
  refuseBrokenText(input);
  const typed = typedValues(input);
  const result = schema.safeParse(typeof input === 'object' && input !== null ? input : {});
  if (result.success) return { ok: true, data: result.data, typed };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, typed };
}
