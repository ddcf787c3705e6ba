import type { InboundContext } from './inbound-context.ts';
import type { InboundStep, StepAnswer } from './inbound-pipeline.ts';
import { inboundTexts } from './inbound-texts.ts';

/** Replies that belong to the linked staff member's store (and to them), when the chat is a staff member's. */
export function staffReplyTo(ctx: InboundContext): Pick<StepAnswer, 'replyTo'> {
  return ctx.staff ? { replyTo: { storeId: ctx.staff.storeId, staffId: ctx.staff.staffId } } : {};
}

/** Group chats, edits, channel posts: marked handled, never answered. */
export const ignoredStep: InboundStep = {
  name: 'ignored',
  async run(ctx) {
    return ctx.message.event.kind === 'ignored' ? { replies: [] } : null;
  },
};

/**
 * A tap on an older keyboard, still on screen after the customer answered by typing: its "1"
 * in the middle of a survey must not be read as a score of 1. Not answered here (the channel
 * shows its own notice over the chat, where it can).
 */
export const staleButtonStep: InboundStep = {
  name: 'stale button',
  async run(ctx) {
    const { event } = ctx.message;
    return event.kind === 'button' && !event.onLatestKeyboard ? { replies: [] } : null;
  },
};

/** Stickers, photos, voice, unreadable text: asked, politely, to type. */
export const unsupportedStep: InboundStep = {
  name: 'unsupported',
  async run(ctx) {
    const { event } = ctx.message;
    if (event.kind !== 'unsupported') return null;
    const texts = inboundTexts(ctx.locale);
    return { replies: [{ kind: 'text', text: event.unreadableText ? texts.unreadableText : texts.textOnly }], ...staffReplyTo(ctx) };
  },
};
