import type { z } from 'zod';

/**
 * A refused body's problems in the APIs' `fields` shape: per field (the top-level key; `body`
 * for the body as a whole), the first rule it broke, which is the one to fix first.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? 'body')] ??= issue.message;
  return fields;
}
