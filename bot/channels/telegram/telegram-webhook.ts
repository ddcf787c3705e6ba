import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { Update } from 'grammy/types';
import { chatOfUpdate } from './telegram-update.ts';

/** The header Telegram sends the webhook's secret_token in. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The webhook secret when none is configured: derived from the token, so restarts agree (64 hex characters). */
export function deriveWebhookSecret(token: string): string {
  return createHmac('sha256', token).update('showroom-concierge telegram webhook').digest('hex');
}

const updateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook route: checks the secret Telegram echoes back (wrong or missing → 401, nothing
 * stored), stores the update in the durable inbox, and only then answers 200 — Telegram
 * re-delivers anything not answered 2xx, and the inbox ignores the duplicate.
 */
export function registerTelegramWebhook(app: FastifyInstance, deps: { path: string; secret: string; db: Database; clock: Clock; onStored: () => void }): void {
  app.post(deps.path, async (request, reply) => {
    if (!sameSecret(request.headers[SECRET_HEADER], deps.secret)) return reply.code(401).send({ error: 'Wrong or missing X-Telegram-Bot-Api-Secret-Token' });
    const parsed = updateShape.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'Not a Telegram update: update_id (a whole number) is required' });
    const update = parsed.data as unknown as Update;
    await recordInboundUpdate(deps.db, { channel: 'TELEGRAM', updateId: String(update.update_id), chatId: chatOfUpdate(update) ?? 'none', payload: JSON.stringify(update), receivedAt: deps.clock.now() });
    deps.onStored();
    return reply.code(200).send({});
  });
}
