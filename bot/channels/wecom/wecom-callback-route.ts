import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { WecomCallbackCrypto, WecomRefusal } from './wecom-callback-crypto.ts';
import { parseWecomCallback, parseWecomEnvelope, type ExternalContactAdded, type WecomCallbackEvent } from './wecom-callback-xml.ts';

/** The path configured as the app's 接收消息 URL: `<PUBLIC_BASE_URL>/wecom/callback`. */
export const WECOM_CALLBACK_PATH = '/wecom/callback';

/** What the callback route needs. */
export interface WecomCallbackDeps {
  crypto: WecomCallbackCrypto;
  db: Database;
  clock: Clock;
  /** Wakes the inbox worker. */
  onStored(): void;
  /** Sends an add event's welcome; called after the event is stored, and not awaited by the answer. */
  welcome(event: ExternalContactAdded): void;
}

/** A refused callback: 403 for what an attacker forged or replayed, 400 for what is not a callback. */
function refuse(reply: FastifyReply, reason: WecomRefusal | 'not-xml'): FastifyReply {
  return reply.code(reason === 'malformed' || reason === 'not-xml' ? 400 : 403).type('text/plain; charset=utf-8').send(`refused: ${reason}`);
}

/** The chat an event belongs to: the employee who wrote, or the customer a contact event is about. */
function chatOf(event: WecomCallbackEvent): string {
  if (event.kind === 'app-text') return event.fromUserId;
  if ('externalUserId' in event) return event.externalUserId;
  return 'none';
}

/**
 * `GET|POST /wecom/callback`. GET is the URL check: the decrypted echostr. POST is checked
 * (signature in constant time, corp id, timestamp window: else 4xx and nothing stored), stored in
 * the durable inbox under the event's own key (WeCom retries what it got no answer to within 5 s:
 * the copy is ignored), and answered "success" at once; an add event's welcome goes out next,
 * without waiting for the inbox worker, because WeCom allows 20 s for it.
 */
export function registerWecomCallback(app: FastifyInstance, deps: WecomCallbackDeps): void {
  void app.register(async (scope) => {
    // WeCom posts XML (text/xml); any other body is read as text and refused by the envelope parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 512 * 1024 }, (_request, body, done) => done(null, body));
    scope.get(WECOM_CALLBACK_PATH, async (request, reply) => {
      const verified = deps.crypto.verifyUrl(request.query as Record<string, unknown>);
      if (!verified.ok) return refuse(reply, verified.reason);
      return reply.type('text/plain; charset=utf-8').send(verified.plaintext);
    });
    scope.post(WECOM_CALLBACK_PATH, async (request, reply) => {
      const envelope = parseWecomEnvelope(typeof request.body === 'string' ? request.body : '');
      if (!envelope.ok) return refuse(reply, 'not-xml');
      const opened = deps.crypto.openMessage(request.query as Record<string, unknown>, envelope.envelope.encrypt);
      if (!opened.ok) return refuse(reply, opened.reason);
      const parsed = parseWecomCallback(opened.xml);
      if (!parsed.ok) return refuse(reply, 'malformed');
      const { event } = parsed;
      const stored = await recordInboundUpdate(deps.db, { channel: 'WECOM', updateId: event.dedupeKey, chatId: chatOf(event), payload: JSON.stringify(event), receivedAt: deps.clock.now() });
      if (stored) deps.onStored();
      if (stored && event.kind === 'external-contact-added') deps.welcome(event);
      return reply.type('text/plain; charset=utf-8').send('success');
    });
  });
}
