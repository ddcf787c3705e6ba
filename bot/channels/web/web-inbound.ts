import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Locale } from '../../../core/config.ts';
import { handleInboundMessage, type InboundOutcome } from '../../../core/inbound/handle-inbound-message.ts';
import type { InboundEvent } from '../../../core/messages.ts';
import type { AppContext } from '../../app-context.ts';

/** The id a page gives each message it sends, so a request the browser sends again is recognized. */
export const messageIdSchema = z.string({ error: 'must be text: 8–64 letters, digits, _ or -' }).regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -').optional();

/**
 * Hands a message from the web (the chat, the staff console) to core's pipeline and waits for
 * the answer. Its update id is the chat's and the page's message id together: the same message
 * sent again (a browser retrying a request whose answer was lost) is handled once; without an
 * id from the page, every request is a new message.
 */
export async function handleWebMessage(ctx: AppContext, chatId: string, messageId: string | undefined, event: InboundEvent, locale?: Locale): Promise<InboundOutcome> {
  const updateId = `${chatId}:${messageId ?? randomBytes(12).toString('base64url')}`;
  return handleInboundMessage(ctx.inbound, { channel: 'WEB', chatId, updateId, event, ...(locale ? { locale } : {}) }, { kind: 'request' });
}
