import { eraseByChat, chatAccessRequest, chatDataSummary, provenCustomerOfChat } from '../consent/chat-data-requests.ts';
import { dataRequestTexts } from '../consent/data-request-texts.ts';
import { detectDataRequestWord } from '../consent/data-request-words.ts';
import { requestReference } from '../consent/data-requests.ts';
import { privacyNotice } from '../consent/privacy-notice.ts';
import { resumeCare, resumedConfirmation } from '../consent/resume-care.ts';
import { detectControlWord } from '../flows/control-words.ts';
import type { IdleState } from '../flows/conversation-state.ts';
import { storeOfChat } from '../inbox/reply-to-chat.ts';
import { currentOrIdle, type InboundContext } from './inbound-context.ts';
import type { InboundStep, StepAnswer } from './inbound-pipeline.ts';

/** How long "确认删除" may follow "删除我的信息". */
export const ERASURE_CONFIRM_MS = 10 * 60_000;

const text = (t: string) => ({ kind: 'text' as const, text: t });

/** The chat's idle state, remembering where it came from, with `extra`. */
function idle(ctx: InboundContext, extra: Partial<IdleState> = {}): IdleState {
  const sourceCode = ctx.conversation?.state.sourceCode;
  return { flow: 'idle', locale: ctx.locale, ...(sourceCode ? { sourceCode } : {}), ...extra };
}

/**
 * "查询我的信息" / "my data", "删除我的信息" / "delete my data" and "确认删除": a customer's
 * PIPL requests, at any step. Answered about the customer only in a chat proven to be theirs;
 * any other chat (unknown, or linked on the sender's word) is sent to the front desk with the
 * same words whether the person is known or not. Access: a short summary here, the full file
 * (JSON, CSV) from the desk. Erasure: asked to confirm, then carried out at once.
 */
export const dataRequestStep: InboundStep = {
  name: 'data request',
  async run(ctx) {
    const word = ctx.text === null ? null : detectDataRequestWord(ctx.text);
    if (word === null) return null;
    const { tx, message, now } = ctx;
    const texts = dataRequestTexts(ctx.locale);
    const storeId = await storeOfChat(tx, message.channel, message.chatId);
    const customerId = await provenCustomerOfChat(tx, message);
    if (!customerId) {
      const store = await tx.store.findUniqueOrThrow({ where: { id: storeId } });
      return { state: currentOrIdle(ctx), replies: [text(texts.goToDesk(store.hotline))] };
    }
    switch (word) {
      case 'access': {
        const requestId = await chatAccessRequest(tx, { storeId, customerId, now });
        return { state: currentOrIdle(ctx), replies: [text(texts.summary(await chatDataSummary(tx, customerId), requestReference(requestId)))] };
      }
      case 'erasure':
        return { state: idle(ctx, { erasureAskedAt: now.toISOString() }), replies: [text(texts.confirmErasure)] };
      case 'confirm_erasure':
        return confirmErasure(ctx, { storeId, customerId });
      default:
        word satisfies never;
        return null;
    }
  },
};

async function confirmErasure(ctx: InboundContext, who: { storeId: string; customerId: string }): Promise<StepAnswer> {
  const texts = dataRequestTexts(ctx.locale);
  const state = ctx.conversation?.state;
  const askedAt = state?.flow === 'idle' && state.erasureAskedAt ? Date.parse(state.erasureAskedAt) : Number.NaN;
  const age = ctx.now.getTime() - askedAt;
  if (!(age >= 0 && age <= ERASURE_CONFIRM_MS)) return { state: idle(ctx), replies: [text(texts.nothingToConfirm)] };
  const requestId = await eraseByChat(ctx.tx, { ...who, now: ctx.now });
  // No state: the erasure removed this chat's conversation, and nothing of it is kept.
  return { replies: [text(texts.erased(requestReference(requestId)))], replyTo: { storeId: who.storeId } };
}

/**
 * "重新开始" / "restart" from a customer who opted out: the opt-out confirmation's promise is
 * kept — service messages resume under a new consent (see resumeCare), with the notice shown
 * again. From anyone else it is a control word (registration starts again).
 */
export const resumeCareStep: InboundStep = {
  name: 'resume care',
  async run(ctx) {
    if (ctx.text === null || detectControlWord(ctx.text) !== 'restart') return null;
    const { tx, message, now } = ctx;
    const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
    if (!identity || !(await resumeCare(tx, identity.customerId, `${message.channel.toLowerCase()}-chat:restart`, now))) return null;
    const store = await tx.store.findUniqueOrThrow({ where: { id: await storeOfChat(tx, message.channel, message.chatId) } });
    const notice = privacyNotice({ storeName: store.name, hotline: store.hotline, retentionMonths: ctx.deps.settings.retentionMonths }, ctx.locale);
    return { state: idle(ctx), replies: [text(resumedConfirmation(ctx.locale)), text(notice)] };
  },
};
