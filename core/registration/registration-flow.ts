import type { Locale } from '../config.ts';
import type { Choice, OutboundMessage } from '../messages.ts';
import { privacyNotice } from '../consent/privacy-notice.ts';
import { isPlausibleName } from '../customers/customer-name.ts';
import { maskPhone, normalizePhone } from '../customers/phone.ts';
import { sanitizeText } from '../text/sanitize-text.ts';
import { isResendRequest, pickCompanions, pickModel, pickNumber, pickYesNo } from './registration-answers.ts';
import {
  COMPANIONS, HEARD_FROM, MODEL_NOT_SURE, companionLabel, heardFromLabel, notSureLabel, type Companion, type HeardFrom,
} from './registration-options.ts';
import type { CodeCheck, CodeRequestOutcome } from './phone-proof.ts';
import type { RegistrationRequestInput } from './registration-request.ts';
import type { RegistrationResult } from './register-customer.ts';
import { registrationTexts } from './registration-texts.ts';

/** Where a registration conversation stands. */
export type RegistrationStep = 'notice' | 'name' | 'phone' | 'phoneCode' | 'model' | 'heardFrom' | 'companions' | 'marketing' | 'finished' | 'declined' | 'cancelled';

/** The stored state of a registration conversation. */
export interface RegistrationState {
  flow: 'registration';
  step: RegistrationStep;
  locale: Locale;
  sourceCode: string;
  answers: {
    name?: string;
    phone?: string;
    /** Set once the number is proven the sender's: Telegram's own shared contact, or the SMS code typed back. */
    phoneProof?: 'telegram_contact' | 'sms_code';
    modelOfInterest?: string;
    heardFrom?: HeardFrom;
    companions?: Companion[];
  };
  /** The voucher shown at the end, so a later message can repeat it. */
  voucherCode?: string | null;
}

/** What the flow needs to know about the store behind the QR source. */
export interface RegistrationContext {
  storeName: string;
  hotline: string;
  retentionMonths: number;
  carModels: string[];
  giftName: string;
  /** Whether a typed number must be proven with an SMS code (SMS codes are offered); absent: it is not. */
  askPhoneCode?: boolean;
}

/** Asks the caller to register (in the same transaction as the state change). */
export interface RegisterEffect {
  type: 'register';
  request: RegistrationRequestInput;
}

/** Asks the caller to send a one-time code to `phone` (E.164); completeCodeRequest says what came of it. */
export interface SendCodeEffect {
  type: 'send_code';
  phone: string;
}

/** Asks the caller to check the code typed for `phone` (E.164); completeCodeCheck says what came of it. */
export interface CheckCodeEffect {
  type: 'check_code';
  phone: string;
  code: string;
}

/** What a step asks its caller to do, inside the message's transaction. */
export type FlowEffect = RegisterEffect | SendCodeEffect | CheckCodeEffect;

/** A step's outcome: the next state, what to say, and what to do. */
export interface FlowResult {
  state: RegistrationState;
  replies: OutboundMessage[];
  effects: FlowEffect[];
}

const text = (body: string, choices?: Choice[]): OutboundMessage => (choices ? { kind: 'text', text: body, choices } : { kind: 'text', text: body });
const numbered = (labels: string[], first = 1): Choice[] => labels.map((label, i) => ({ label: `${i + first}. ${label}`, value: String(i + first) }));

/** The question for the current step, with its choices; also what a resumed chat shows. */
export function promptFor(state: RegistrationState, ctx: RegistrationContext): OutboundMessage[] {
  const t = registrationTexts(state.locale);
  switch (state.step) {
    case 'notice':
      return [
        text(t.welcome(ctx.storeName, ctx.giftName)),
        text(privacyNotice(ctx, state.locale), numbered([t.agreeChoice, t.declineChoice])),
      ];
    case 'name':
      return [text(t.askName)];
    case 'phone':
      return [{ kind: 'text', text: t.askPhone(state.answers.name ?? ''), shareContact: t.shareContactButton }];
    case 'phoneCode':
      return [text(t.askCode(maskedPhone(state)), resendChoice(state))];
    case 'model':
      return [text(t.askModel, numbered([...ctx.carModels, notSureLabel(state.locale)]))];
    case 'heardFrom':
      return [text(t.askHeardFrom, numbered(HEARD_FROM.map((h) => heardFromLabel(h, state.locale))))];
    case 'companions':
      return [text(t.askCompanions, [{ label: `0. ${t.aloneChoice}`, value: '0' }, ...numbered(COMPANIONS.map((c) => companionLabel(c, state.locale)))])];
    case 'marketing':
      return [text(t.askMarketing, numbered([t.marketingYes, t.marketingNo]))];
    case 'finished':
      return [text(t.finishedHint)];
    case 'declined':
    case 'cancelled':
      return [text(t.cancelled)];
    default:
      return assertNever(state.step);
  }
}

/** A fresh registration conversation for a QR source. */
export function startRegistration(sourceCode: string, locale: Locale, ctx: RegistrationContext): FlowResult {
  const state: RegistrationState = { flow: 'registration', step: 'notice', locale, sourceCode, answers: {} };
  return { state, replies: promptFor(state, ctx), effects: [] };
}

/** Cancels: drops every answer, keeps only where the chat came from. */
export function cancelRegistration(state: RegistrationState): FlowResult {
  return { state: { ...state, step: 'cancelled', answers: {} }, replies: [text(registrationTexts(state.locale).cancelled)], effects: [] };
}

/**
 * A number shared with the platform's contact button at the phone step (or while its code is
 * awaited): the sender's own comes with the platform's proof that they hold it; anyone else's is
 * taken like a typed one. Anywhere else the current question is asked again.
 */
export function shareContact(state: RegistrationState, contact: { phone: string; own: boolean }, ctx: RegistrationContext): FlowResult {
  const t = registrationTexts(state.locale);
  if (state.step !== 'phone' && state.step !== 'phoneCode') return { state, replies: promptFor(state, ctx), effects: [] };
  if (normalizePhone(contact.phone) === null) return { state, replies: [text(t.badPhone)], effects: [] };
  if (!contact.own) return takePhone(state, contact.phone, ctx);
  const next = { ...state, step: 'model' as const, answers: { ...state.answers, phone: contact.phone, phoneProof: 'telegram_contact' as const } };
  return { state: next, replies: promptFor(next, ctx), effects: [] };
}

/**
 * A number typed (or shared) without the platform's proof. Where SMS codes are offered, a code
 * goes to it and the chat waits for it, the same for every number, known or new; elsewhere the
 * registration goes on without proof (a known number is then held for the front desk).
 */
function takePhone(state: RegistrationState, typed: string, ctx: RegistrationContext): FlowResult {
  const { phoneProof: _typedInstead, ...answers } = state.answers; // a typed number proves nothing
  const phone = normalizePhone(typed);
  if (!ctx.askPhoneCode || phone === null) {
    const next = { ...state, step: 'model' as const, answers: { ...answers, phone: typed } };
    return { state: next, replies: promptFor(next, ctx), effects: [] };
  }
  return { state: { ...state, step: 'phoneCode', answers: { ...answers, phone: typed } }, replies: [], effects: [{ type: 'send_code', phone }] };
}

/** The answer while a code is awaited: the code, a resend request, or another number. */
function stepPhoneCode(state: RegistrationState, answer: string, ctx: RegistrationContext): FlowResult {
  const t = registrationTexts(state.locale);
  const phone = normalizePhone(state.answers.phone ?? '');
  if (phone === null) return { state: { ...state, step: 'phone' }, replies: promptFor({ ...state, step: 'phone' }, ctx), effects: [] };
  const code = answer.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(code)) return { state, replies: [], effects: [{ type: 'check_code', phone, code }] };
  if (isResendRequest(answer)) return { state, replies: [], effects: [{ type: 'send_code', phone }] };
  if (normalizePhone(answer) !== null) return takePhone(state, answer, ctx);
  return { state, replies: [text(t.badCode, resendChoice(state))], effects: [] };
}

/** What the customer is told once their code was asked for: where it went, or how long to wait. */
export function completeCodeRequest(state: RegistrationState, outcome: CodeRequestOutcome): FlowResult {
  const t = registrationTexts(state.locale);
  const reply = outcome.queued ? text(t.codeSent(maskedPhone(state)), resendChoice(state)) : text(t.codeTooSoon(outcome.retryAfterMs), resendChoice(state));
  return { state, replies: [reply], effects: [] };
}

/** What the customer is told once their code was checked: proven (on to the next question), wrong, or spent. */
export function completeCodeCheck(state: RegistrationState, check: CodeCheck, ctx: RegistrationContext): FlowResult {
  const t = registrationTexts(state.locale);
  switch (check) {
    case 'proven': {
      const next = { ...state, step: 'model' as const, answers: { ...state.answers, phoneProof: 'sms_code' as const } };
      return { state: next, replies: [text(t.codeAccepted), ...promptFor(next, ctx)], effects: [] };
    }
    case 'wrong':
      return { state, replies: [text(t.wrongCode, resendChoice(state))], effects: [] };
    case 'spent':
      return { state, replies: [text(t.codeSpent, resendChoice(state))], effects: [] };
    default:
      return assertNever(check);
  }
}

const maskedPhone = (state: RegistrationState): string => maskPhone(normalizePhone(state.answers.phone ?? '') ?? '');
const resendChoice = (state: RegistrationState): Choice[] => {
  const t = registrationTexts(state.locale);
  return [{ label: t.resendChoice, value: t.resendWord }];
};

/** Takes the customer's answer to the current step. Pure: (state, input) → result. */
export function stepRegistration(state: RegistrationState, input: string, ctx: RegistrationContext): FlowResult {
  const t = registrationTexts(state.locale);
  const answer = input.normalize('NFKC').trim();
  const advance = (step: RegistrationStep, answers: RegistrationState['answers']): FlowResult => {
    const next = { ...state, step, answers };
    return { state: next, replies: promptFor(next, ctx), effects: [] };
  };
  const reask = (hint: string): FlowResult => ({ state, replies: [text(hint, currentChoices(state, ctx))], effects: [] });

  switch (state.step) {
    case 'notice': {
      const choice = pickYesNo(answer, ['同意', '同意并继续', 'agree', 'yes', 'y', '是', '好', '好的', 'ok'], ['不同意', 'disagree', 'no', '否', '不']);
      if (choice === null) return reask(t.askConsentAgain);
      if (!choice) return { state: { ...state, step: 'declined', answers: {} }, replies: [text(t.declined(ctx.hotline))], effects: [] };
      return advance('name', {});
    }
    case 'name': {
      const name = sanitizeText(input);
      if (!isPlausibleName(name)) return reask(t.badName);
      return advance('phone', { ...state.answers, name });
    }
    case 'phone':
      if (normalizePhone(answer) === null) return reask(t.badPhone);
      return takePhone(state, answer, ctx);
    case 'phoneCode':
      return stepPhoneCode(state, answer, ctx);
    case 'model': {
      const model = pickModel(answer, ctx.carModels);
      if (model === null) return reask(t.badModel(ctx.carModels.length + 1));
      return advance('heardFrom', { ...state.answers, modelOfInterest: model });
    }
    case 'heardFrom': {
      const index = pickNumber(answer, HEARD_FROM.length);
      const byLabel = HEARD_FROM.find((h) => heardFromLabel(h, state.locale) === answer);
      const heardFrom = index !== null ? HEARD_FROM[index - 1] : byLabel;
      if (!heardFrom) return reask(t.badHeardFrom(HEARD_FROM.length));
      return advance('companions', { ...state.answers, heardFrom });
    }
    case 'companions': {
      const companions = pickCompanions(answer);
      if (companions === null) return reask(t.badCompanions(COMPANIONS.length));
      return advance('marketing', { ...state.answers, companions });
    }
    case 'marketing': {
      const consent = pickYesNo(answer, ['愿意', '愿意接收', '是', '好', 'yes', 'y'], ['不需要', '不愿意', '否', '不', 'no', 'n']);
      if (consent === null) return reask(t.badMarketing);
      const a = state.answers;
      const request: RegistrationRequestInput = {
        source: state.sourceCode,
        name: a.name ?? '',
        phone: a.phone ?? '',
        modelOfInterest: a.modelOfInterest ?? MODEL_NOT_SURE,
        heardFrom: a.heardFrom ?? 'other',
        companions: a.companions ?? [],
        serviceConsent: true,
        marketingConsent: consent,
      };
      return { state: { ...state, step: 'finished' }, replies: [], effects: [{ type: 'register', request }] };
    }
    case 'finished':
    case 'declined':
    case 'cancelled':
      return { state, replies: promptFor(state, ctx), effects: [] };
    default:
      return assertNever(state.step);
  }
}

/** What the customer is told once the register effect has run; the answers are dropped. */
export function completeRegistration(state: RegistrationState, result: RegistrationResult): FlowResult {
  const t = registrationTexts(state.locale);
  const name = state.answers.name ?? '';
  const created = result.status === 'created';
  let reply: OutboundMessage;
  if (result.voucherCode !== null) {
    const body = created ? t.registered(name, result.giftName, result.voucherCode) : t.alreadyRegistered(result.giftName, result.voucherCode);
    reply = { kind: 'voucher', text: body, voucherCode: result.voucherCode };
  } else if (result.voucher === 'confirm_at_desk') {
    // A known number without proof reads exactly like a new one whose gift is held: nothing is revealed.
    reply = text(t.confirmAtDesk(name, result.giftName));
  } else {
    reply = text(created ? t.outOfStock(name, result.giftName) : t.alreadyRegisteredNoGift);
  }
  return { state: { ...state, step: 'finished', answers: {}, voucherCode: result.voucherCode }, replies: [reply], effects: [] };
}

/** Many registrations at the store this minute: the last question stays, its answers kept, to send again shortly. */
export function deferRegistration(state: RegistrationState): FlowResult {
  return { state, replies: [text(registrationTexts(state.locale).busy)], effects: [] };
}

/** Says the register effect failed and leaves the conversation at its last question. */
export function failRegistration(state: RegistrationState, reason: string): FlowResult {
  return { state, replies: [text(registrationTexts(state.locale).failed(reason))], effects: [] };
}

/** The buttons of the current question, so a re-ask keeps them. */
function currentChoices(state: RegistrationState, ctx: RegistrationContext): Choice[] | undefined {
  const last = promptFor(state, ctx).at(-1);
  return last?.kind === 'text' ? last.choices : undefined;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled registration case: ${String(value)}`);
}
