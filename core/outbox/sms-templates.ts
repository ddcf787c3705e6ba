import type { Database, DatabaseTx } from '../db/open-database.ts';
import { SMS_KINDS } from './sms-kinds.ts';

/**
 * A store's approved SMS templates, one per message kind (`SmsTemplate` rows). The admin copies
 * the template code and the approved text from the provider's console and says which of the
 * kind's variables fills each template parameter; it is checked here against the kind, so a
 * template that could never be filled is refused when saved, not when a customer is due a message.
 *
 * Placeholders as the providers write them: Alibaba Cloud `${name}` (letters, digits, _),
 * Tencent Cloud `{1}`, `{2}`… (positional, from 1 without gaps). One style per text.
 */

/** Which provider's placeholder style and template codes a text uses. */
export type SmsTemplateStyle = 'aliyun' | 'tencent';

/** What an admin types for one kind. */
export interface SmsTemplateInput {
  templateCode: string;
  text: string;
  /** `parameter=variable` pairs, one per line or separated by commas. */
  params: string;
}

/** An approved template as stored: the parameters in template order, each with the variable it takes. */
export interface SmsTemplate {
  kind: string;
  templateCode: string;
  text: string;
  params: Readonly<Record<string, string>>;
}

/** A template that does not fit its kind: the field to fix and what is wrong, in English (pages translate). */
export class SmsTemplateInvalidError extends Error {
  constructor(readonly field: 'kind' | 'templateCode' | 'text' | 'params', message: string) {
    super(`${field} ${message}`);
    this.name = 'SmsTemplateInvalidError';
  }
}

const ALIYUN_PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]{0,29})\}/g;
const TENCENT_PLACEHOLDER = /(?<!\$)\{(\d{1,2})\}/g;
const CODE_FORMAT: Record<SmsTemplateStyle, { pattern: RegExp; example: string }> = {
  aliyun: { pattern: /^SMS_\d{6,12}$/, example: 'SMS_465100001' },
  tencent: { pattern: /^\d{1,10}$/, example: '1850001' },
};
/** The opt-out hints the providers accept in marketing templates. */
const OPT_OUT_HINT = /回T退订|回TD退订|回复T退订|回复TD退订|退订回T|拒收请回复R/;
const MAX_TEXT = 500;

/** Whether an approved text carries an opt-out hint (回T退订, 拒收请回复R…), as marketing SMS must. */
export const hasOptOutHint = (text: string): boolean => OPT_OUT_HINT.test(text);

/** The style a text is written in: Alibaba's `${…}` if it has any, else Tencent's `{1}`. */
export function styleOf(text: string): SmsTemplateStyle {
  return /\$\{/.test(text) ? 'aliyun' : 'tencent';
}

/** The parameters of an approved text in template order (Tencent: 1, 2…; Alibaba: first appearance), each once. */
export function smsPlaceholders(text: string, style: SmsTemplateStyle = styleOf(text)): string[] {
  const names = [...text.matchAll(style === 'aliyun' ? ALIYUN_PLACEHOLDER : TENCENT_PLACEHOLDER)].map((m) => m[1] as string);
  const unique = [...new Set(names)];
  return style === 'tencent' ? unique.sort((a, b) => Number(a) - Number(b)) : unique;
}

/** The placeholder of `param` as it stands in a text of `style`. */
export const placeholderOf = (param: string, style: SmsTemplateStyle): string => (style === 'aliyun' ? `\${${param}}` : `{${param}}`);

/** Reads `a=b` pairs (lines, commas or semicolons between them). */
function parseParams(input: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of input.split(/[\n,，;；]+/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=\s]{1,30})\s*=\s*([A-Za-z]{1,40})$/.exec(part);
    if (!match) throw new SmsTemplateInvalidError('params', `"${part.slice(0, 40)}" is not parameter=variable (e.g. name=customerName)`);
    const [, param = '', variable = ''] = match;
    if (Object.hasOwn(pairs, param)) throw new SmsTemplateInvalidError('params', `parameter ${param} is mapped twice`);
    pairs[param] = variable;
  }
  return pairs;
}

/**
 * Checks what an admin typed for `kind` and returns the template to store. `style` is the
 * configured provider's (null while SMS is off: the text's own); `linkBase` is where survey
 * links point (the public base URL): a survey template must hold `<linkBase>/s/<code parameter>`,
 * since providers refuse links inside parameters.
 */
export function validateSmsTemplate(kind: string, input: SmsTemplateInput, options: { style: SmsTemplateStyle | null; linkBase: string }): SmsTemplate {
  const spec = Object.hasOwn(SMS_KINDS, kind) ? SMS_KINDS[kind] : undefined;
  if (!spec) throw new SmsTemplateInvalidError('kind', `"${kind}" is not a message kind that may go by SMS`);
  const text = input.text.trim();
  const templateCode = input.templateCode.trim();
  if (text.length === 0 || text.length > MAX_TEXT) throw new SmsTemplateInvalidError('text', `must be the approved text, 1–${MAX_TEXT} characters`);
  if (/[【】]/.test(text)) throw new SmsTemplateInvalidError('text', 'must not hold the signature 【…】: the provider adds it');
  const style = options.style ?? styleOf(text);
  const format = CODE_FORMAT[style];
  if (!format.pattern.test(templateCode)) throw new SmsTemplateInvalidError('templateCode', `must be the provider's template code, like ${format.example}`);
  if (style === 'tencent' && /\$\{/.test(text)) throw new SmsTemplateInvalidError('text', 'uses Alibaba Cloud placeholders ${…}, but the provider is Tencent Cloud: use {1}, {2}…');
  const placeholders = smsPlaceholders(text, style);
  if (style === 'tencent' && placeholders.some((p, i) => Number(p) !== i + 1)) throw new SmsTemplateInvalidError('text', 'numbers its parameters with gaps: use {1}, {2}… in order');
  const params = parseParams(input.params);
  const allowed = new Set(spec.variables);
  for (const param of placeholders) {
    const variable = params[param];
    if (variable === undefined) throw new SmsTemplateInvalidError('params', `parameter ${param} of the text is not mapped to a variable`);
    if (!allowed.has(variable)) throw new SmsTemplateInvalidError('params', `${variable} is not a variable of ${kind}; allowed: ${spec.variables.join(', ')}`);
  }
  const extra = Object.keys(params).find((param) => !placeholders.includes(param));
  if (extra !== undefined) throw new SmsTemplateInvalidError('params', `parameter ${extra} is not in the text`);
  if (spec.purpose === 'MARKETING' && !hasOptOutHint(text)) throw new SmsTemplateInvalidError('text', 'is a marketing template and must carry the opt-out hint 回T退订 (or 拒收请回复R)');
  if (spec.linkVariable) checkSurveyLink(text, params, spec.linkVariable, style, options.linkBase);
  return { kind, templateCode, text, params: Object.fromEntries(placeholders.map((p) => [p, params[p] as string])) };
}

function checkSurveyLink(text: string, params: Record<string, string>, linkVariable: string, style: SmsTemplateStyle, linkBase: string): void {
  const param = Object.keys(params).find((p) => params[p] === linkVariable);
  const link = `${linkBase}/s/${placeholderOf(param ?? linkVariable, style)}`;
  if (!param || !text.includes(link)) throw new SmsTemplateInvalidError('text', `must hold the answer link ${link} (links may not be passed in a parameter)`);
}

/** Saves a store's template for its kind, replacing the one before. */
export async function saveSmsTemplate(tx: DatabaseTx, storeId: string, template: SmsTemplate): Promise<void> {
  const data = { templateCode: template.templateCode, text: template.text, params: JSON.stringify(template.params) };
  await tx.smsTemplate.upsert({ where: { storeId_kind: { storeId, kind: template.kind } }, create: { storeId, kind: template.kind, ...data }, update: data });
}

/** The store's approved templates by kind. */
export async function smsTemplatesOf(db: Database | DatabaseTx, storeId: string): Promise<Map<string, SmsTemplate>> {
  const rows = await db.smsTemplate.findMany({ where: { storeId } });
  return new Map(rows.map((row) => [row.kind, { kind: row.kind, templateCode: row.templateCode, text: row.text, params: JSON.parse(row.params) as Record<string, string> }]));
}

/** The template's parameter values from a message's variables; the first parameter without a value, if any. */
export function fillSmsParams(template: SmsTemplate, variables: Readonly<Record<string, string>>): { ok: true; params: Record<string, string> } | { ok: false; missing: string } {
  const params: Record<string, string> = {};
  for (const [param, variable] of Object.entries(template.params)) {
    const value = Object.hasOwn(variables, variable) ? variables[variable]?.trim() : undefined;
    if (!value) return { ok: false, missing: variable };
    params[param] = value;
  }
  return { ok: true, params };
}
