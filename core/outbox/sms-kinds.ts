import { TEMPLATE_KINDS, type TemplateKind } from '../journeys/template-defaults.ts';

/** The variable a survey SMS carries: the short personal code of its answer page (`/s/<code>`). */
export const SURVEY_CODE_VARIABLE = 'surveyCode';

/** What a message kind that may go by SMS offers its template. */
export interface SmsKind {
  /** Marketing kinds need marketing consent and an opt-out hint (回T退订) in the approved text. */
  purpose: 'SERVICE' | 'MARKETING';
  /** The variables a template parameter may take. */
  variables: readonly string[];
  /** Survey kinds: the template text must hold the answer page's link ending in this variable. */
  linkVariable?: typeof SURVEY_CODE_VARIABLE;
}

/** Birthday and holiday greetings count as marketing (DOMAIN: law and etiquette); the other journeys are service. */
const MARKETING_KINDS: ReadonlySet<TemplateKind> = new Set(['birthday_greeting', 'holiday_greeting']);

const journeyKinds: Record<string, SmsKind> = {};
for (const kind of Object.keys(TEMPLATE_KINDS) as TemplateKind[]) {
  journeyKinds[kind] = { purpose: MARKETING_KINDS.has(kind) ? 'MARKETING' : 'SERVICE', variables: [...TEMPLATE_KINDS[kind].required, ...TEMPLATE_KINDS[kind].optional] };
}

const survey: SmsKind = { purpose: 'SERVICE', variables: [SURVEY_CODE_VARIABLE, 'storeName', 'customerName', 'honorific'], linkVariable: SURVEY_CODE_VARIABLE };

/**
 * Every message kind that may go by SMS, with the variables its template may use: the journey
 * messages (core/journeys/template-defaults.ts) and the survey questions and reminders, whose
 * SMS carries the link to the one-question answer page instead of asking for a reply.
 */
export const SMS_KINDS: Readonly<Record<string, SmsKind>> = {
  ...journeyKinds,
  visit_survey: survey,
  visit_survey_reminder: survey,
  delivery_survey: survey,
  delivery_survey_reminder: survey,
};

/**
 * A one-time code to a phone number (core/registration/phone-codes.ts): a REPLY to whoever asked,
 * sent by SMS with the verification template of the SMS settings (SMS_CODE_TEMPLATE, not a
 * store's template), to the number itself rather than to a customer. Its one variable names the
 * code's row (`phoneCodeId`); the SMS channel derives the digits when it sends, so they are never stored.
 */
export const PHONE_CODE_KIND = 'phone_code';

/** Whether `kind` may have an SMS template. */
export const isSmsKind = (kind: string): boolean => Object.hasOwn(SMS_KINDS, kind);
