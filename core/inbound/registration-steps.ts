import type { ConversationState } from '../flows/conversation-state.ts';
import { detectControlWord } from '../flows/control-words.ts';
import { registerInTransaction } from '../registration/register-customer.ts';
import { loadRegistrationContext } from '../registration/registration-context.ts';
import { phoneProofUnavailable } from '../registration/phone-proof.ts';
import {
  cancelRegistration, completeCodeCheck, completeCodeRequest, completeRegistration, deferRegistration, failRegistration, promptFor, shareContact,
  startRegistration, stepRegistration, type FlowResult, type RegisterEffect, type RegistrationContext, type RegistrationState,
} from '../registration/registration-flow.ts';
import { DEFAULT_REGISTRATION_LIMITS, RegistrationRateLimitedError } from '../registration/registration-limits.ts';
import { parseRegistrationRequest, RegistrationInvalidError } from '../registration/registration-request.ts';
import { registrationTexts } from '../registration/registration-texts.ts';
import { onlyStoreSource, storeChoice } from './entry-sources.ts';
import { currentOrIdle, type InboundContext } from './inbound-context.ts';
import type { InboundStep, StepAnswer } from './inbound-pipeline.ts';

const ACTIVE_STEPS = new Set<RegistrationState['step']>(['notice', 'name', 'phone', 'phoneCode', 'model', 'heardFrom', 'companions', 'marketing']);

/** Whether the conversation is in the middle of registering (its answers are the registration's). */
export function isMidRegistration(state: ConversationState | undefined): state is RegistrationState {
  return state?.flow === 'registration' && ACTIVE_STEPS.has(state.step);
}

/** Nothing to answer: scan the poster's QR code. */
function noSource(ctx: InboundContext): StepAnswer {
  return { state: currentOrIdle(ctx), replies: [{ kind: 'text', text: registrationTexts(ctx.locale).noSource }] };
}

/** The registration's context at a QR source, asking for SMS codes where they are offered; null for a source that registers nobody. */
async function contextOf(ctx: InboundContext, code: string): Promise<RegistrationContext | null> {
  const registration = await loadRegistrationContext(ctx.tx, code, ctx.deps.settings.retentionMonths);
  return registration && { ...registration, askPhoneCode: ctx.deps.phoneProof?.available === true };
}

/**
 * An entry point (a scanned QR code, a deep link, the web chat opened) starts registration at
 * its source, or resumes it at the same question when it is under way there. Without a source,
 * a single-store install starts at its store; several stores are offered to choose from.
 */
export const entryStep: InboundStep = {
  name: 'entry',
  async run(ctx) {
    const { event } = ctx.message;
    if (event.kind !== 'start') return null;
    const code = event.sourceCode ?? (await onlyStoreSource(ctx.tx));
    if (code === null) return { replies: [await storeChoice(ctx.tx, ctx.locale)] };
    const registration = await contextOf(ctx, code);
    if (!registration) return noSource(ctx);
    const current = ctx.conversation?.state;
    if (isMidRegistration(current) && current.sourceCode === code) return { state: current, replies: promptFor(current, registration) };
    return startRegistration(code, ctx.locale, registration);
  },
};

/** "取消" drops a registration's answers; "重新开始" starts again where the chat last came from. */
export const controlWordStep: InboundStep = {
  name: 'control word',
  async run(ctx) {
    const control = ctx.text === null ? null : detectControlWord(ctx.text);
    if (control === null) return null;
    const current = ctx.conversation?.state;
    if (current?.flow !== 'registration') {
      const code = current?.sourceCode;
      const registration = code && control === 'restart' ? await contextOf(ctx, code) : null;
      return code && registration ? startRegistration(code, ctx.locale, registration) : noSource(ctx);
    }
    const registration = await contextOf(ctx, current.sourceCode);
    if (!registration) return noSource(ctx);
    return control === 'cancel' ? cancelRegistration(current) : startRegistration(current.sourceCode, ctx.locale, registration);
  },
};

/** Anything else is the answer to the registration's current question (or, outside one, "scan the poster"). */
export const registrationStep: InboundStep = {
  name: 'registration',
  async run(ctx) {
    const current = ctx.conversation?.state;
    const { event } = ctx.message;
    if (current?.flow !== 'registration' || (ctx.text === null && event.kind !== 'contact')) return noSource(ctx);
    const registration = await contextOf(ctx, current.sourceCode);
    if (!registration) return noSource(ctx);
    const result = event.kind === 'contact' ? shareContact(current, event, registration) : stepRegistration(current, ctx.text ?? '', registration);
    return runEffect(ctx, current, result, registration);
  },
};

/**
 * Runs the flow's effect inside the message's transaction: a code asked for is queued in the
 * outbox (sent once this commits), a code typed is checked, a registration is made.
 */
async function runEffect(ctx: InboundContext, before: RegistrationState, result: FlowResult, registration: RegistrationContext): Promise<StepAnswer> {
  const effect = result.effects[0];
  if (!effect) return result;
  const proof = ctx.deps.phoneProof ?? phoneProofUnavailable;
  const requester = `${ctx.message.channel}:${ctx.message.chatId}`;
  switch (effect.type) {
    case 'send_code': {
      const source = await ctx.tx.qrSource.findUniqueOrThrow({ where: { code: result.state.sourceCode }, select: { storeId: true } });
      return completeCodeRequest(result.state, await proof.requestCode(ctx.tx, { phone: effect.phone, requester, storeId: source.storeId, now: ctx.now }));
    }
    case 'check_code':
      return completeCodeCheck(result.state, await proof.checkCode(ctx.tx, { phone: effect.phone, requester, code: effect.code, now: ctx.now }), registration);
    case 'register':
      return register(ctx, before, result, effect);
    default:
      return effect satisfies never;
  }
}

/** Registers: linked to a known number's customer only with the proof the chat gave (Telegram's own contact, an SMS code). */
async function register(ctx: InboundContext, before: RegistrationState, result: FlowResult, effect: RegisterEffect): Promise<StepAnswer> {
  const { channel, chatId } = ctx.message;
  try {
    const request = parseRegistrationRequest(effect.request);
    // The platform (Telegram's own contact) or an SMS code proved the number is the sender's: linked like any proof.
    const proof = before.answers.phoneProof ? { method: before.answers.phoneProof, phone: request.phone } : undefined;
    const registered = await registerInTransaction(ctx.tx, ctx.deps.clock, request, {
      channel, chatId, surface: `${channel.toLowerCase()}-chat`, locale: before.locale, ...(proof ? { proof } : {}),
    }, ctx.deps.settings.registrationLimits ?? DEFAULT_REGISTRATION_LIMITS);
    ctx.deps.logger.info({ customerId: registered.customerId, status: registered.status }, 'registration by chat');
    return completeRegistration(result.state, registered);
  } catch (error) {
    if (error instanceof RegistrationRateLimitedError) return deferRegistration(before);
    if (!(error instanceof RegistrationInvalidError)) throw error;
    return failRegistration(before, Object.values(error.fields).join('; '));
  }
}
