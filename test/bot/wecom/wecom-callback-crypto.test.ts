// The bot's callback crypto (built on @wecom/crypto) against an independent implementation of the
// documented algorithm (test/fakes/wecom-callback-signer.ts): what WeCom signs opens; everything
// forged, foreign, stale or broken is refused with its reason, and nothing throws.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WecomCallbackCrypto, encodingAesKeyProblem, type WecomCallbackQuery } from '../../../bot/channels/wecom/wecom-callback-crypto.ts';
import { parseWecomCallback, parseWecomEnvelope, type WecomCallbackEvent } from '../../../bot/channels/wecom/wecom-callback-xml.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { signCallback, wecomDecrypt, wecomEncrypt, wecomSignature, type CallbackSecrets } from '../../fakes/wecom-callback-signer.ts';

const CORP = 'ww1234567890abcdef';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const TOKEN = 'QDG6eK';
const NOW_S = 1_714_960_800;
const secrets: CallbackSecrets = { token: TOKEN, encodingAesKey: AES_KEY, receiveId: CORP };
const crypto = new WecomCallbackCrypto({ token: TOKEN, encodingAesKey: AES_KEY, corpId: CORP, now: () => NOW_S * 1000 });
const XML = '<xml><ToUserName><![CDATA[ww1234567890abcdef]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[跟进 12]]></Content></xml>';

/** A callback signed with the real token over `ciphertext`, as if WeCom (or someone who knows the token) sent it. */
function signed(ciphertext: string, timestampS = NOW_S, nonce = '1372623149'): WecomCallbackQuery {
  const timestamp = String(timestampS);
  return { msg_signature: wecomSignature(TOKEN, timestamp, nonce, ciphertext), timestamp, nonce };
}

describe('WeCom callback crypto', () => {
  it('opens a callback encrypted and signed the documented way', () => {
    const callback = signCallback(secrets, XML, NOW_S);
    expect(crypto.openMessage(callback.query, callback.ciphertext)).toEqual({ ok: true, xml: XML });
  });

  it('answers the URL check with the decrypted echostr', () => {
    const echostr = wecomEncrypt(AES_KEY, '5927782489442352469', CORP);
    expect(crypto.verifyUrl({ ...signed(echostr), echostr })).toEqual({ ok: true, plaintext: '5927782489442352469' });
  });

  it('refuses a forged or foreign signature', () => {
    const callback = signCallback(secrets, XML, NOW_S);
    const flipped = callback.query.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    expect(crypto.openMessage({ ...callback.query, msg_signature: flipped }, callback.ciphertext)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(crypto.openMessage({ ...callback.query, msg_signature: callback.query.msg_signature.slice(1) }, callback.ciphertext)).toEqual({ ok: false, reason: 'bad-signature' });
    const otherToken = signCallback({ ...secrets, token: 'another' }, XML, NOW_S);
    expect(crypto.openMessage(otherToken.query, otherToken.ciphertext)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a message for another corp', () => {
    const foreign = signCallback({ ...secrets, receiveId: 'wwsomeoneelse00000' }, XML, NOW_S);
    expect(crypto.openMessage(foreign.query, foreign.ciphertext)).toEqual({ ok: false, reason: 'wrong-corp' });
  });

  it('refuses a timestamp more than 5 minutes away, either way', () => {
    for (const offset of [-301, 301]) {
      const callback = signCallback(secrets, XML, NOW_S + offset);
      expect(crypto.openMessage(callback.query, callback.ciphertext)).toEqual({ ok: false, reason: 'stale-timestamp' });
    }
    const recent = signCallback(secrets, XML, NOW_S - 240);
    expect(crypto.openMessage(recent.query, recent.ciphertext).ok).toBe(true);
  });

  it('refuses truncated, garbled, non-base64, oddly sized and oversized ciphertexts as malformed', () => {
    const ciphertext = wecomEncrypt(AES_KEY, XML, CORP);
    const bytes = Buffer.from(ciphertext, 'base64');
    const truncated = bytes.subarray(0, bytes.length - 32).toString('base64');
    const garbledTail = Buffer.concat([bytes.subarray(0, bytes.length - 16), Buffer.alloc(16, 7)]).toString('base64');
    const cases = [truncated, `${ciphertext.slice(0, 40)}*${ciphertext.slice(41)}`, Buffer.alloc(48, 1).toString('base64'), 'A'.repeat(300_000), Buffer.alloc(16).toString('base64')];
    for (const broken of cases) expect(crypto.openMessage(signed(broken), broken)).toEqual({ ok: false, reason: 'malformed' });
    expect(crypto.openMessage(signed(garbledTail), garbledTail).ok).toBe(false);
  });

  it('refuses missing or non-string query fields', () => {
    const callback = signCallback(secrets, XML, NOW_S);
    for (const query of [{}, { ...callback.query, timestamp: undefined }, { ...callback.query, nonce: ['a'] }, { ...callback.query, timestamp: '17e8' }]) {
      expect(crypto.openMessage(query, callback.ciphertext)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(crypto.openMessage(callback.query, undefined)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('seals a passive reply that the documented algorithm opens', () => {
    const reply = crypto.sealReply('<xml><Content>ok</Content></xml>', String(NOW_S), 'nonce1');
    const ciphertext = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(reply)?.[1] ?? '';
    const signature = /<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]>/.exec(reply)?.[1];
    expect(signature).toBe(wecomSignature(TOKEN, String(NOW_S), 'nonce1', ciphertext));
    expect(wecomDecrypt(AES_KEY, ciphertext)).toEqual({ message: '<xml><Content>ok</Content></xml>', receiveId: CORP });
  });

  it('checks the EncodingAESKey and says what is wrong with it', () => {
    expect(encodingAesKeyProblem(AES_KEY)).toBeNull();
    expect(encodingAesKeyProblem(AES_KEY.slice(1))).toContain('43 characters');
    expect(encodingAesKeyProblem(`${AES_KEY.slice(1)}-`)).toContain('A–Z');
    expect(() => new WecomCallbackCrypto({ token: TOKEN, encodingAesKey: 'short', corpId: CORP, now: Date.now })).toThrow('43 characters long (got 5)');
  });
});

describe('WeCom callback crypto with hostile input (property)', () => {
  const anything = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constant(undefined), fc.integer(), fc.array(fc.string(), { maxLength: 3 }));

  it('never throws and never verifies arbitrary values in any field', () => {
    fc.assert(fc.property(anything, anything, anything, anything, anything, (msg_signature, timestamp, nonce, echostr, encrypted) => {
      const query = { msg_signature, timestamp, nonce, echostr };
      expect(crypto.openMessage(query, encrypted).ok).toBe(false);
      expect(crypto.verifyUrl(query).ok).toBe(false);
    }), { numRuns: 500 });
  });

  it('never verifies a real callback with one field replaced', () => {
    const callback = signCallback(secrets, XML, NOW_S);
    fc.assert(fc.property(fc.constantFrom('msg_signature', 'timestamp', 'nonce', 'ciphertext'), fc.string({ unit: 'grapheme', maxLength: 100 }), (field, value) => {
      const original = field === 'ciphertext' ? callback.ciphertext : callback.query[field as keyof typeof callback.query];
      fc.pre(value !== original);
      const query = field === 'ciphertext' ? callback.query : { ...callback.query, [field]: value };
      expect(crypto.openMessage(query, field === 'ciphertext' ? value : callback.ciphertext).ok).toBe(false);
    }), { numRuns: 500 });
  });

  it('never throws and never verifies random bytes, even correctly signed', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 512 }), (bytes) => {
      const ciphertext = Buffer.from(bytes).toString('base64');
      const result = crypto.openMessage(signed(ciphertext), ciphertext);
      expect(result.ok).toBe(false);
    }), { numRuns: 500 });
  });
});

describe('a callback from the fake WeCom server, end to end', () => {
  it('arrives signed and encrypted, opens, and parses into the add event with its WelcomeCode', async () => {
    const received: WecomCallbackEvent[] = [];
    const bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
        const envelope = parseWecomEnvelope(Buffer.concat(chunks).toString('utf8'));
        const opened = envelope.ok ? crypto.openMessage(query, envelope.envelope.encrypt) : null;
        const parsed = opened?.ok ? parseWecomCallback(opened.xml) : null;
        if (parsed?.ok) received.push(parsed.event);
        res.writeHead(parsed?.ok ? 200 : 400).end();
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/wecom/callback`;
    const fake = new FakeWecomServer({ corpId: CORP, secrets: ['s'], now: () => NOW_S * 1000, callback: { url, token: TOKEN, encodingAesKey: AES_KEY } });
    try {
      const { welcomeCode, xml } = fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1', state: 'store1' });
      expect((await fake.pushCallback(xml)).status).toBe(200);
      expect(received).toEqual([expect.objectContaining({ kind: 'external-contact-added', userId: 'zhangsan', state: 'store1', welcomeCode })]);
    } finally {
      await new Promise((resolve) => bot.close(resolve));
    }
  });
});
