import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import { detectOptOut } from '../consent/opt-out.ts';
import { optOutAll } from '../consent/opt-out-all.ts';
import { optOutConfirmation } from '../consent/opt-out-texts.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { InboundMessage, OutboundMessage } from '../messages.ts';
import { registerInTransaction } from '../registration/register-customer.ts';
import { loadRegistrationContext } from '../registration/registration-context.ts';
import {
  cancelRegistration, completeRegistration, failRegistration, promptFor, startRegistration, stepRegistration,
  type FlowResult, type RegistrationState,
} from '../registration/registration-flow.ts';
import { parseRegistrationRequest, RegistrationInvalidError } from '../registration/registration-request.ts';
import { registrationTexts } from '../registration/registration-texts.ts';
import { fileComplaint, isComplaint } from '../surveys/complaint-inbound.ts';
import { answerOpenSurvey } from '../surveys/survey-inbound.ts';
import { detectControlWord } from './control-words.ts';
import type { ConversationState } from './conversation-state.ts';
import { ConversationConflictError, loadConversation, saveConversation } from './conversation-store.ts';

/** What handling a customer's message needs. */
export interface InboundDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  settings: { retentionMonths: number; defaultLocale: Locale };
}

const MAX_ATTEMPTS = 3;
const ACTIVE_STEPS = new Set<RegistrationState['step']>(['notice', 'name', 'phone', 'model', 'heardFrom', 'companions', 'marketing']);

/**
 * Handles one message from a customer on any channel and returns the replies. The state
 * change and everything it causes commit in one transaction; a concurrent save of the same
 * chat makes it re-read and run again.
 */
export async function handleInbound(deps: InboundDeps, message: InboundMessage): Promise<OutboundMessage[]> {
  return retryOnConversationConflict(() => deps.db.$transaction((tx) => handleInboundInTransaction(tx, deps, message)));
}

/** Runs `work` again (up to 3 times) when a concurrent save of the same chat made it stale. */
export async function retryOnConversationConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConversationConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The conversation step for one message, in the caller's transaction: state saved, replies returned. */
export async function handleInboundInTransaction(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage): Promise<OutboundMessage[]> {
  const stored = await loadConversation(tx, message.channel, message.chatId);
  const current = stored?.state ?? null;
  const locale = message.locale ?? current?.locale ?? deps.settings.defaultLocale;
  const next = await decide(tx, deps, message, current, locale);
  if (next.state !== current) await saveConversation(tx, message.channel, message.chatId, stored, next.state);
  return next.replies;
}

type Decision = { state: ConversationState; replies: OutboundMessage[] };

async function decide(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage, current: ConversationState | null, locale: Locale): Promise<Decision> {
  const noSource = (): Decision => ({ state: current ?? { flow: 'idle', locale }, replies: [{ kind: 'text', text: registrationTexts(locale).noSource }] });

  if (message.kind === 'start') {
    const code = message.sourceCode ?? (current?.flow === 'registration' ? current.sourceCode : undefined);
    if (!code) return noSource();
    const ctx = await loadRegistrationContext(tx, code, deps.settings.retentionMonths);
    if (!ctx) return noSource();
    if (current?.flow === 'registration' && current.sourceCode === code && ACTIVE_STEPS.has(current.step)) {
      return { state: current, replies: promptFor(current, ctx) };
    }
    return startRegistration(code, locale, ctx);
  }

  const optOut = detectOptOut(message.text);
  if (optOut === 'all') return handleOptOut(tx, deps, message, current, locale);

  if (isComplaint(message.text)) {
    return { state: current ?? { flow: 'idle', locale }, replies: await fileComplaint(tx, deps.clock, message, locale, current?.sourceCode) };
  }

  const midRegistration = current?.flow === 'registration' && ACTIVE_STEPS.has(current.step);
  if (!midRegistration) {
    const surveyReplies = await answerOpenSurvey(tx, deps.clock, message);
    if (surveyReplies) return { state: current ?? { flow: 'idle', locale }, replies: surveyReplies };
  }

  const control = detectControlWord(message.text);
  if (current?.flow !== 'registration') {
    const code = current?.sourceCode;
    const ctx = code && control === 'restart' ? await loadRegistrationContext(tx, code, deps.settings.retentionMonths) : null;
    return code && ctx ? startRegistration(code, locale, ctx) : noSource();
  }
  const ctx = await loadRegistrationContext(tx, current.sourceCode, deps.settings.retentionMonths);
  if (!ctx) return noSource();
  if (control === 'cancel') return cancelRegistration(current);
  if (control === 'restart') return startRegistration(current.sourceCode, locale, ctx);

  const result = stepRegistration(current, message.text, ctx);
  return runEffects(tx, deps, message, current, result);
}

/** Runs the register effect inside the conversation's transaction. */
async function runEffects(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage, before: RegistrationState, result: FlowResult): Promise<Decision> {
  const effect = result.effects[0];
  if (!effect) return result;
  try {
    const registered = await registerInTransaction(tx, deps.clock, parseRegistrationRequest(effect.request), {
      channel: message.channel,
      chatId: message.chatId,
      surface: `${message.channel.toLowerCase()}-chat`,
      locale: before.locale,
    });
    deps.logger.info({ customerId: registered.customerId, status: registered.status }, 'registration by chat');
    return completeRegistration(result.state, registered);
  } catch (error) {
    if (!(error instanceof RegistrationInvalidError)) throw error;
    return failRegistration(before, Object.values(error.fields).join('; '));
  }
}

/** Stops everything for this chat's customer (if known) and confirms once. */
async function handleOptOut(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage, current: ConversationState | null, locale: Locale): Promise<Decision> {
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
  const source = `${message.channel.toLowerCase()}-chat`;
  const newlyRecorded = identity ? await optOutAll(tx, identity.customerId, source, deps.clock.now()) : false;
  const alreadyConfirmed = current?.flow === 'idle' && current.optedOut === true;
  const sourceCode = current?.sourceCode;
  const state: ConversationState = { flow: 'idle', locale, optedOut: true, ...(sourceCode ? { sourceCode } : {}) };
  const confirm = newlyRecorded || !alreadyConfirmed;
  return { state, replies: confirm ? [{ kind: 'text', text: optOutConfirmation(locale) }] : [] };
}
