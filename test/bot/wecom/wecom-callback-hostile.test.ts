// /wecom/callback against hostile input: whatever anyone sends (made-up query strings, bodies that
// are not XML, XML bombs, genuine callbacks with one character changed, replays from long ago),
// never a 5xx, a refusal, and nothing stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackXml } from '../../fakes/fake-wecom-common.ts';
import { signCallback } from '../../fakes/wecom-callback-signer.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, WECOM_TEST, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
beforeAll(async () => {
  t = await createTestApp();
  w = await openWecom(t);
});
afterAll(async () => {
  await w.close();
  await t.close();
});

const secrets = { token: WECOM_TEST.token, encodingAesKey: WECOM_TEST.encodingAesKey, receiveId: WECOM_TEST.corpId };
const nowS = () => Math.floor(t.clock.now().getTime() / 1000);
const field = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', '0', '-1', '99999999999999999999', 'a'.repeat(300), '<xml/>', '%00', '../../'), fc.stringMatching(/^[0-9a-f]{40}$/));
const query = fc.record({ msg_signature: field, timestamp: fc.oneof(field, fc.constant(String(Date.parse('2026-11-22T02:00:00Z') / 1000))), nonce: field, echostr: field }, { requiredKeys: [] });
const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '', '<xml></xml>', '<xml><Encrypt></Encrypt></xml>', '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
    '<!DOCTYPE xml [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
    '{"Encrypt":"x"}', `<xml><Encrypt><![CDATA[${'A'.repeat(4096)}]]></Encrypt></xml>`,
  ),
  fc.string({ maxLength: 200 }).map((text) => `<xml><ToUserName>${WECOM_TEST.corpId}</ToUserName><Encrypt>${text}</Encrypt></xml>`),
);
const contentType = fc.constantFrom('text/xml', 'application/xml', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data');
const rows = () => t.ctx.db.inboundUpdate.count();

/** A genuine callback, then one character of its ciphertext, signature or timestamp changed, or replayed an hour late. */
const tampered = fc.record({ part: fc.constantFrom('ciphertext', 'signature', 'timestamp', 'late'), at: fc.nat(), char: fc.constantFrom('A', 'b', '0', '+', '/', '=') });

describe('/wecom/callback under hostile input', () => {
  it('never answers 5xx to made-up requests, and stores nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>, query, body, contentType, async (method, q, payload, type) => {
      const response = await w.app.inject({ method, url: '/wecom/callback', query: q, ...(method === 'POST' ? { payload, headers: { 'content-type': type } } : {}) });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(await rows()).toBe(0);
    }), { numRuns: 150 });
  });

  it('refuses a genuine callback with one character changed, or replayed late, and stores nothing', async () => {
    await fc.assert(fc.asyncProperty(tampered, async ({ part, at, char }) => {
      const xml = callbackXml({ ToUserName: WECOM_TEST.corpId, FromUserName: 'zhangsan', CreateTime: nowS(), MsgType: 'text', Content: '帮助', MsgId: '1', AgentID: 1000002 });
      const signed = signCallback(secrets, xml, part === 'late' ? nowS() - 3600 : nowS());
      const change = (text: string) => {
        const i = at % text.length;
        return `${text.slice(0, i)}${text[i] === char ? (char === 'A' ? 'B' : 'A') : char}${text.slice(i + 1)}`;
      };
      const q = { ...signed.query, ...(part === 'signature' ? { msg_signature: change(signed.query.msg_signature) } : {}), ...(part === 'timestamp' ? { timestamp: String(Number(signed.query.timestamp) + 1 + (at % 100)) } : {}) };
      const payload = part === 'ciphertext' ? signed.body.replace(signed.ciphertext, change(signed.ciphertext)) : signed.body;
      const response = await w.app.inject({ method: 'POST', url: '/wecom/callback', query: q, payload, headers: { 'content-type': 'text/xml' } });
      expect([400, 403]).toContain(response.statusCode);
      expect(await rows()).toBe(0);
    }), { numRuns: 100 });
  });
});
