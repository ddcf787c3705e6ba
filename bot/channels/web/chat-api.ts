import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AddressLimiter } from '../../../core/limits/address-limiter.ts';
import { tooManyRequests } from '../../http/too-many-requests.ts';
import { qrSourceCodeSchema } from '../../../core/registration/qr-source-code.ts';
import { fieldErrors } from '../../../core/validation/field-errors.ts';
import { humanText } from '../../../core/validation/human-text.ts';
import { handleWebMessage, messageIdSchema } from './web-inbound.ts';
import type { WebChatPresence } from './web-chat-presence.ts';
import { ensureWebSession, readWebSession } from './web-session.ts';

const JSON_OBJECT = 'must be a JSON object';
const LANG = z.enum(['zh-CN', 'en'], { error: 'must be "zh-CN" or "en"' }).optional();
const startBody = z.object({
  source: qrSourceCodeSchema,
  lang: LANG,
  messageId: messageIdSchema,
}, { error: JSON_OBJECT });
const messageBody = z.object({
  text: humanText({ required: 'must not be empty: type your message', max: 500, multiline: true }),
  lang: LANG,
  messageId: messageIdSchema,
}, { error: JSON_OBJECT });

/** Field errors in the API's `{ error, fields }` shape. */
function badRequest(error: z.ZodError): { error: string; fields: Record<string, string> } {
  return { error: 'Invalid request', fields: fieldErrors(error) };
}

const pollQuery = z.object({
  after: z.coerce.number({ error: 'must be the id of the last message seen, 0 at first' }).int().min(0).default(0),
});

/**
 * The web chat's API: `POST /api/chat/start` opens (or resumes) the chat of this browser for a
 * QR source; `POST /api/chat/messages` sends the customer's text (both go through core's inbound
 * pipeline and answer `{ replies }`; an optional `messageId` makes a retried request count
 * once, answered `{ replies: [] }`); `GET /api/chat/messages?after=<id>` returns what the outbox
 * delivered to this chat since.
 */
export function registerChatApi(app: FastifyInstance, ctx: AppContext, presence: WebChatPresence): void {
  // A page polls every WEB_CHAT_POLL_MS: one that missed a few polls (and at least a minute) is closed.
  const watchMs = Math.max(60_000, 4 * ctx.config.WEB_CHAT_POLL_MS);
  // Per network address, in memory: a burst of fresh anonymous sessions or messages from one address is refused (429).
  const sessions = new AddressLimiter(ctx.clock, { perMinute: ctx.config.CHAT_SESSIONS_PER_ADDRESS_PER_MINUTE });
  const messages = new AddressLimiter(ctx.clock, { perMinute: ctx.config.CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE });
  app.post('/api/chat/start', async (request, reply) => {
    const turn = readWebSession(request) ? messages.take(request.ip) : sessions.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const body = startBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send(badRequest(body.error));
    const chatId = ensureWebSession(request, reply);
    presence.seen(chatId, watchMs);
    const { replies } = await handleWebMessage(ctx, chatId, body.data.messageId, { kind: 'start', sourceCode: body.data.source }, body.data.lang);
    return { replies };
  });

  app.get('/api/chat/messages', async (request, reply) => {
    const chatId = readWebSession(request);
    const query = pollQuery.safeParse(request.query ?? {});
    if (!query.success) return reply.code(400).send(badRequest(query.error));
    if (!chatId) return { messages: [] };
    presence.seen(chatId, watchMs);
    const rows = await ctx.db.webChatMessage.findMany({
      where: { chatId, id: { gt: query.data.after } },
      orderBy: { id: 'asc' },
      take: 50,
    });
    return { messages: rows.map((row) => ({ id: row.id, message: JSON.parse(row.payload) as unknown })) };
  });

  app.post('/api/chat/messages', async (request, reply) => {
    const turn = messages.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const chatId = readWebSession(request);
    if (!chatId) return reply.code(400).send({ error: 'No chat session: open the chat page (POST /api/chat/start) first', fields: {} });
    const body = messageBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send(badRequest(body.error));
    presence.seen(chatId, watchMs);
    const { replies } = await handleWebMessage(ctx, chatId, body.data.messageId, { kind: 'text', text: body.data.text }, body.data.lang);
    return { replies };
  });
}
