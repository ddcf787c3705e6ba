import { optOutAll } from '../consent/opt-out-all.ts';
import { optOutConfirmation } from '../consent/opt-out-texts.ts';
import { detectOptOut } from '../consent/opt-out.ts';
import type { ConversationState } from '../flows/conversation-state.ts';
import { fileComplaint, isComplaint } from '../surveys/complaint-inbound.ts';
import { answerOpenSurvey } from '../surveys/survey-inbound.ts';
import { chatText, currentOrIdle } from './inbound-context.ts';
import type { InboundStep } from './inbound-pipeline.ts';
import { isMidRegistration } from './registration-steps.ts';

/**
 * "TD", "退订", "stop": stops everything for this chat's customer (if known), at any step, and
 * is never taken as an answer. Confirmed once: a repeat is recorded but not answered again.
 */
export const optOutStep: InboundStep = {
  name: 'opt-out',
  async run(ctx) {
    if (ctx.text === null || detectOptOut(ctx.text) !== 'all') return null;
    const { tx, message, locale } = ctx;
    const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
    const newlyRecorded = identity ? await optOutAll(tx, identity.customerId, `${message.channel.toLowerCase()}-chat`, ctx.now) : false;
    const current = ctx.conversation?.state;
    const alreadyConfirmed = current?.flow === 'idle' && current.optedOut === true;
    const sourceCode = current?.sourceCode;
    const state: ConversationState = { flow: 'idle', locale, optedOut: true, ...(sourceCode ? { sourceCode } : {}) };
    return { state, replies: newlyRecorded || !alreadyConfirmed ? [{ kind: 'text', text: optOutConfirmation(locale) }] : [] };
  },
};

/** "投诉", "I want to complain": a complaint ticket, whatever the conversation was doing. */
export const complaintStep: InboundStep = {
  name: 'complaint',
  async run(ctx) {
    const text = chatText(ctx);
    if (!text || !isComplaint(text.text)) return null;
    return { state: currentOrIdle(ctx), replies: await fileComplaint(ctx.tx, ctx.deps.clock, text, ctx.locale, ctx.conversation?.state.sourceCode, ctx.deps.settings.complaintsPerChatPerDay) };
  },
};

/** An answer to the customer's open survey (a score, a reason, a comment); not while they register. */
export const surveyAnswerStep: InboundStep = {
  name: 'survey answer',
  async run(ctx) {
    const text = chatText(ctx);
    if (!text || isMidRegistration(ctx.conversation?.state)) return null;
    const replies = await answerOpenSurvey(ctx.tx, ctx.deps.clock, text);
    return replies ? { state: currentOrIdle(ctx), replies } : null;
  },
};
