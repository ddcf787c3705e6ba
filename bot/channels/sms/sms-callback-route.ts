import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { Logger } from '../../../core/logger.ts';
import { callbackTokenMatches, parseSmsCallback, smsCallbackAck, type SmsCallbackEvent, type SmsCallbackKind } from './sms-callbacks.ts';

/** The paths to give the provider's console: delivery receipts (状态报告) and replies (上行). */
export const SMS_CALLBACK_PATHS: Record<SmsCallbackKind, string> = { receipt: '/sms/callback/:token/receipts', reply: '/sms/callback/:token/replies' };

/** The full callback URLs for the README and start-up's lines. */
export function smsCallbackUrls(publicBaseUrl: string, token: string): Record<SmsCallbackKind, string> {
  const url = (kind: SmsCallbackKind) => `${publicBaseUrl}${SMS_CALLBACK_PATHS[kind].replace(':token', token)}`;
  return { receipt: url('receipt'), reply: url('reply') };
}

/** What the callback routes need. */
export interface SmsCallbackDeps {
  provider: 'aliyun' | 'tencent';
  /** SMS_CALLBACK_TOKEN: the secret path segment (the providers sign nothing). */
  token: string;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Wakes the inbox worker. */
  onStored(): void;
}

/** The chat an event belongs to in the inbox: a reply's number, or the message a receipt reports on (so each is handled in order). */
function chatOf(event: SmsCallbackEvent): string {
  return event.kind === 'reply' ? event.phoneE164 : `receipt:${event.providerMessageId}`;
}

function refuse(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

/**
 * `POST /sms/callback/<token>/receipts` and `…/replies`: the provider's pushes. The token is
 * compared in constant time (a wrong one: 404, as if there were no such URL, and nothing read);
 * a body that is not a batch is refused with 400; each readable item is stored in the durable
 * inbox under its own key before the provider's acknowledgement is sent, so a crash loses
 * nothing and a resent batch is stored once. Items that cannot be read are logged and skipped:
 * resending would not make them readable.
 */
export function registerSmsCallbacks(app: FastifyInstance, deps: SmsCallbackDeps): void {
  void app.register(async (scope) => {
    // The providers post JSON; the parser reads the raw bytes itself (and refuses anything else).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    for (const kind of ['receipt', 'reply'] as const) {
      scope.post<{ Params: { token: string } }>(SMS_CALLBACK_PATHS[kind], async (request, reply) => {
        if (!callbackTokenMatches(deps.token, request.params.token)) return refuse(reply, 404, 'Not found');
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const parsed = parseSmsCallback(deps.provider, kind, body);
        if (!parsed.ok) return refuse(reply, 400, `Not a ${deps.provider} SMS ${kind} callback: ${parsed.reason}`);
        if (parsed.skipped.length > 0) deps.logger.warn({ kind, skipped: parsed.skipped.slice(0, 10) }, 'SMS callback items skipped');
        let stored = false;
        for (const event of parsed.events) {
          const payload = JSON.stringify(event);
          stored = (await recordInboundUpdate(deps.db, { channel: 'SMS', updateId: event.dedupeKey, chatId: chatOf(event), payload, receivedAt: deps.clock.now() })) || stored;
        }
        if (stored) deps.onStored();
        return reply.send(smsCallbackAck(deps.provider));
      });
    }
  });
}
