/**
 * Checks a message's template variables before it is sent, by the providers' published rules, so
 * a message that would be refused (and, with some providers, still cost a request) is stopped
 * here with an error that names the variable and the rule.
 *
 * Rules, as the providers document them:
 * - Both: every variable of the template must have a non-empty value and no others may be
 *   given; links may not be passed in a variable (Alibaba `isv.PARAM_NOT_SUPPORT_URL`, Tencent
 *   `InvalidParameterValue.ProhibitedUseUrlInTemplateParameter`): a fixed link belongs in the
 *   approved template text. 【】 mark the signature and may not appear in the content.
 * - Alibaba: a verification code is 4–6 digits (or 4–6 letters and digits); a phone number is
 *   an 11-digit mobile starting with 1 or a landline of 5–13 digits and dashes (≤ 15
 *   characters); any other variable is 1–35 characters.
 * - Tencent: variables are positional (`{1}`, `{2}`…), so the spec's order is the order sent;
 *   a verification template takes only digits, at most 6 (error 1038); any other variable at
 *   most 12 characters for accounts not verified as an enterprise (error 1036): set `maxLength`
 *   on a variable when the account allows more.
 * Lengths count characters (code points), as both providers do.
 */

/** What a template is approved for; verification templates have stricter variable rules. */
export type SmsTemplateType = 'verification' | 'notification' | 'marketing';

/** The attribute a variable was approved with (Alibaba asks for one per variable). */
export type SmsVariableKind = 'digits-code' | 'alnum-code' | 'phone' | 'time' | 'text';

/** One variable of an approved template. */
export interface SmsVariableSpec {
  name: string;
  kind: SmsVariableKind;
  /** Overrides the provider's default maximum length for this variable. */
  maxLength?: number;
}

/** An approved template as the bot knows it: its type and its variables in template order. */
export interface SmsTemplateSpec {
  type: SmsTemplateType;
  variables: readonly SmsVariableSpec[];
}

/** The outcome of a check: the values in template order, or the first broken rule. */
export type SmsParamCheck =
  | { ok: true; ordered: string[] }
  | { ok: false; param: string | null; rule: string; error: string };

const URL_LIKE = /(https?:\/\/|www\.|[a-z0-9-]+\.(com|cn|net|org|top|xyz|io|cc|me|info|vip|link|site|shop|ltd)(?![a-z]))/i;
const SIGNATURE_BRACKETS = /[【】]/;
const ALIYUN_TEXT_MAX = 35;
const TENCENT_TEXT_MAX = 12;
const TIME_LIKE = /^[\d\s\-/:.年月日时点分秒上下午晚中早]+$/;

const length = (value: string) => [...value].length;

/** Checks `params` against `spec` by `provider`'s rules; see the module comment for the rules. */
export function checkTemplateParams(provider: 'aliyun' | 'tencent', spec: SmsTemplateSpec, params: Readonly<Record<string, string>>): SmsParamCheck {
  const declared = new Set(spec.variables.map((v) => v.name));
  const unknown = Object.keys(params).find((name) => !declared.has(name));
  if (unknown !== undefined) return fail(unknown, 'unknown-variable', 'the template has no such variable');
  const ordered: string[] = [];
  for (const variable of spec.variables) {
    const value = Object.hasOwn(params, variable.name) ? params[variable.name] : undefined;
    if (typeof value !== 'string' || value.trim().length === 0) return fail(variable.name, 'missing', 'every variable of the template needs a non-empty value');
    const broken = commonRule(value) ?? (provider === 'aliyun' ? aliyunRule(variable, value) : tencentRule(spec.type, variable, value));
    if (broken) return fail(variable.name, broken.rule, broken.error);
    ordered.push(value);
  }
  return { ok: true, ordered };
}

type Broken = { rule: string; error: string } | null;

function commonRule(value: string): Broken {
  if (URL_LIKE.test(value)) return { rule: 'no-link', error: 'links may not be passed in a variable; put a fixed link in the approved template' };
  if (SIGNATURE_BRACKETS.test(value)) return { rule: 'no-signature-brackets', error: '【】 mark the signature and may not appear in the content' };
  return null;
}

function aliyunRule(variable: SmsVariableSpec, value: string): Broken {
  switch (variable.kind) {
    case 'digits-code':
      return /^\d{4,6}$/.test(value) ? null : { rule: 'code-format', error: 'a verification code is 4–6 digits (Alibaba)' };
    case 'alnum-code':
      return /^[A-Za-z0-9]{4,6}$/.test(value) ? null : { rule: 'code-format', error: 'a verification code is 4–6 letters or digits (Alibaba)' };
    case 'phone': {
      const landline = /^[\d-]{5,15}$/.test(value) && /^(?:\D*\d){5,13}\D*$/.test(value);
      return /^1\d{10}$/.test(value) || landline ? null : { rule: 'phone-format', error: 'a phone number is an 11-digit mobile starting with 1, or 5–13 digits and dashes (Alibaba)' };
    }
    case 'time':
      if (!TIME_LIKE.test(value)) return { rule: 'time-format', error: 'a time is a date and/or time such as 2025-05-01 or 14:30 (Alibaba)' };
      return maxLength(variable, value, ALIYUN_TEXT_MAX, 'Alibaba');
    case 'text':
      return maxLength(variable, value, ALIYUN_TEXT_MAX, 'Alibaba');
    default:
      return variable.kind satisfies never;
  }
}

function tencentRule(type: SmsTemplateType, variable: SmsVariableSpec, value: string): Broken {
  if (type === 'verification' || variable.kind === 'digits-code') {
    return /^\d{1,6}$/.test(value) ? null : { rule: 'code-format', error: 'verification templates take only digits, at most 6 (Tencent 1038)' };
  }
  if (variable.kind === 'phone' && !/^[\d+-]+$/.test(value)) return { rule: 'phone-format', error: 'a phone number is digits, + and dashes' };
  return maxLength(variable, value, TENCENT_TEXT_MAX, 'Tencent 1036');
}

function maxLength(variable: SmsVariableSpec, value: string, fallback: number, source: string): Broken {
  const max = variable.maxLength ?? fallback;
  return length(value) <= max ? null : { rule: 'max-length', error: `longer than ${max} characters (${source})` };
}

function fail(param: string, rule: string, reason: string): SmsParamCheck {
  return { ok: false, param, rule, error: `template variable "${param}": ${reason}` };
}
