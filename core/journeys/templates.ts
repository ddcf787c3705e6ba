import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from './template-defaults.ts';

/** The values a template can use; see TEMPLATE_KINDS for which kind needs which. */
export type TemplateVariables = Partial<Record<'customerName' | 'honorific' | 'storeName' | 'consultantName' | 'model' | 'deliveryTime' | 'address' | 'hotline' | 'holidayName' | 'serviceDueDate', string>>;

/** A template a store tried to save that does not fit its kind; `variable` names the culprit. */
export class TemplateInvalidError extends Error {
  constructor(
    readonly code: 'unknown_variable' | 'missing_variable' | 'length',
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'TemplateInvalidError';
  }
}

/** Anything in braces is meant as a variable ({客户姓名} too), so a wrong name is refused, not sent. */
const PLACEHOLDER = /\{([^{}\s]{1,40})\}/g;

/** The variable names a template body uses. */
export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Checks a body against its kind: refuses an unknown variable or a missing required one, by name. */
export function validateTemplate(kind: TemplateKind, body: string): void {
  const spec = TEMPLATE_KINDS[kind];
  const allowed = new Set<string>([...spec.required, ...spec.optional]);
  const used = placeholdersOf(body);
  const unknown = used.find((name) => !allowed.has(name));
  if (unknown) throw new TemplateInvalidError('unknown_variable', `Unknown variable {${unknown}} in ${kind}; allowed: ${[...allowed].map((n) => `{${n}}`).join(' ')}`, unknown);
  const missing = spec.required.find((name) => !used.includes(name));
  if (missing) throw new TemplateInvalidError('missing_variable', `The ${kind} template must use {${missing}}`, missing);
  if (body.trim().length === 0 || body.length > 1000) throw new TemplateInvalidError('length', `The ${kind} template must be 1–1000 characters`);
}

/**
 * Fills a body. Values are plain text; a channel that sends markup escapes them itself
 * (`escape`), so a customer's name never becomes markup. A variable without a value renders
 * empty rather than as "{name}".
 */
export function renderTemplate(body: string, variables: TemplateVariables, escape: (value: string) => string = (v) => v): string {
  return body.replace(PLACEHOLDER, (_, name: string) => escape(variables[name as keyof TemplateVariables] ?? '')).replace(/[ \t]{2,}/g, ' ');
}

/** The store's own template for a kind and locale, or the shipped default. */
export async function templateBody(tx: DatabaseTx, storeId: string, kind: TemplateKind, locale: Locale): Promise<string> {
  const own = await tx.messageTemplate.findUnique({ where: { storeId_kind_locale: { storeId, kind, locale } } });
  return own?.body ?? DEFAULT_TEMPLATES[kind][locale];
}

/** Saves a store's template after validating it; audited by the caller. */
export async function saveTemplate(tx: DatabaseTx, storeId: string, kind: TemplateKind, locale: Locale, body: string): Promise<void> {
  validateTemplate(kind, body);
  await tx.messageTemplate.upsert({
    where: { storeId_kind_locale: { storeId, kind, locale } },
    create: { storeId, kind, locale, body },
    update: { body },
  });
}
