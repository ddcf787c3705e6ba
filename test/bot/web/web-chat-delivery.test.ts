import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebChatSender } from '../../../bot/channels/web/web-chat-sender.ts';
import { WebChatPresence } from '../../../bot/channels/web/web-chat-presence.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function registerByChat(): Promise<string> {
  const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
  const sessionId = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
  for (const text of ['1', '张伟', '13812345678', '1', '1', '0', '2']) {
    await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text }, cookies: { sc_chat: sessionId } });
  }
  return sessionId;
}

const poll = (sessionId: string, after = 0) =>
  t.app.inject({ method: 'GET', url: `/api/chat/messages?after=${after}`, cookies: { sc_chat: sessionId } }).then((r) => r.json<{ messages: { id: number; message: { text: string } }[] }>());

describe('web chat delivery through the outbox', () => {
  it('delivers the thank-you to the chat two hours after the visit, once', async () => {
    const sessionId = await registerByChat();
    const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock))] });
    await dispatcher.runOnce();
    expect((await poll(sessionId)).messages).toEqual([]);

    t.clock.advance(2 * 3600_000);
    await dispatcher.runOnce();
    const { messages } = await poll(sessionId);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message.text).toContain('感谢您今天光临');
    expect((await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } })).providerMessageId).toBe(`web-${messages[0]?.id}`);
    expect((await poll(sessionId, messages[0]?.id)).messages).toEqual([]);
  });

  it('a resend of the same intent shows the message only once', async () => {
    const sessionId = await registerByChat();
    const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    const sender = new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock));
    const envelope = { intentId: intent.id, dedupeKey: intent.dedupeKey, channel: 'WEB' as const, address: sessionId, message: { kind: 'text' as const, text: 'hi' }, attempt: 1 };
    const first = await sender.send(envelope);
    const second = await sender.send({ ...envelope, attempt: 2 });
    expect(second).toEqual(first);
    expect((await poll(sessionId)).messages).toHaveLength(1);
  });

  it('shows another browser nothing', async () => {
    await registerByChat();
    const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock))] });
    t.clock.advance(2 * 3600_000);
    await dispatcher.runOnce();
    expect((await poll('someone-else-entirely-0000')).messages).toEqual([]);
    const noCookie = await t.app.inject({ method: 'GET', url: '/api/chat/messages' });
    expect(noCookie.json()).toEqual({ messages: [] });
    const bad = await t.app.inject({ method: 'GET', url: '/api/chat/messages?after=-1' });
    expect(bad.statusCode).toBe(400);
  });
});
