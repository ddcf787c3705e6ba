// The web chat API against hostile input: whatever a browser (or anyone) posts, no 5xx; a
// refused request says what is wrong and stores nothing; an accepted one is handled once.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let cookie = '';
beforeAll(async () => {
  t = await createTestApp();
  const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
  cookie = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
});
afterAll(async () => {
  await t.close();
});

const field = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', ' ', '<script>', 'a'.repeat(501), 'x'.repeat(65), '../../etc', 'staff_abc', '/start showroom'), fc.integer(), fc.constant(null), fc.boolean());
const messageId = fc.oneof(field, fc.stringMatching(/^[A-Za-z0-9_-]{8,12}$/), fc.constantFrom('the-same-message-id', 'the-same-message-id'));
const body = fc.record({ text: field, messageId, lang: fc.oneof(field, fc.constantFrom('en', 'zh-CN')), source: fc.oneof(field, fc.constant('showroom')) }, { requiredKeys: [] });
const rows = () => t.ctx.db.inboundUpdate.count();

describe('the web chat API under hostile input', () => {
  it.each(['/api/chat/messages', '/api/chat/start'])('%s never answers 5xx, and stores nothing for a refused request', async (url) => {
    await fc.assert(fc.asyncProperty(body, async (payload) => {
      const before = await rows();
      const response = await t.app.inject({ method: 'POST', url, payload, cookies: { sc_chat: cookie } });
      expect(response.statusCode).toBeLessThan(500);
      if (response.statusCode === 400) {
        expect(Object.keys(response.json<{ fields: Record<string, string> }>().fields).length).toBeGreaterThan(0);
        expect(await rows()).toBe(before);
      } else {
        expect(response.statusCode).toBe(200);
        expect(await rows()).toBe(before + (isReplay(payload.messageId) ? 0 : 1));
      }
    }), { numRuns: 60 });
  });
});

const accepted = new Set<unknown>();
/** Whether a message with this id was accepted before (on either endpoint: the id names one message of this chat). */
function isReplay(messageId: unknown): boolean {
  if (typeof messageId !== 'string') return false;
  const replay = accepted.has(messageId);
  accepted.add(messageId);
  return replay;
}
