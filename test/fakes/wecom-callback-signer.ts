// WeCom's callback encryption, written from the documented algorithm with node:crypto alone and
// deliberately NOT with @wecom/crypto, so that tests of the bot's callback crypto (which uses that
// package) compare two independent implementations:
// key = base64(EncodingAESKey + '='), IV = the key's first 16 bytes, AES-256-CBC;
// plaintext = 16 random bytes + 4-byte big-endian message length + message + receive id, PKCS#7
// padded to a multiple of 32 bytes; msg_signature = sha1 of the sorted [token, timestamp, nonce,
// ciphertext] joined.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The secrets of one callback URL. */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** The corp id WeCom appends to every plaintext. */
  receiveId: string;
}

/** A signed, encrypted callback: its query parameters and its POST body. */
export interface SignedCallback {
  query: { msg_signature: string; timestamp: string; nonce: string };
  ciphertext: string;
  body: string;
}

/** AES-256-CBC with WeCom's 32-byte PKCS#7 padding. `random` fixes the 16 leading bytes (for tests). */
export function wecomEncrypt(encodingAesKey: string, message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  const text = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  const plain = Buffer.concat([random, length, text, Buffer.from(receiveId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** sha1 over the four strings sorted as strings and concatenated. */
export function wecomSignature(token: string, timestamp: string, nonce: string, ciphertext: string): string {
  return createHash('sha1').update([token, timestamp, nonce, ciphertext].sort().join('')).digest('hex');
}

/** Encrypts and signs `message` the way WeCom does for a callback at `timestampS` (seconds). */
export function signCallback(secrets: CallbackSecrets, message: string, timestampS: number, nonce = randomBytes(6).toString('hex')): SignedCallback {
  const ciphertext = wecomEncrypt(secrets.encodingAesKey, message, secrets.receiveId);
  const timestamp = String(timestampS);
  const query = { msg_signature: wecomSignature(secrets.token, timestamp, nonce, ciphertext), timestamp, nonce };
  const body = `<xml><ToUserName><![CDATA[${secrets.receiveId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`;
  return { query, ciphertext, body };
}

/** POSTs a signed callback to `url` (the bot's /wecom/callback) and returns the answer. */
export async function postCallback(url: string, secrets: CallbackSecrets, message: string, timestampS: number): Promise<{ status: number; text: string }> {
  const signed = signCallback(secrets, message, timestampS);
  const target = new URL(url);
  for (const [key, value] of Object.entries(signed.query)) target.searchParams.set(key, value);
  const response = await fetch(target, { method: 'POST', body: signed.body, headers: { 'content-type': 'text/xml' } });
  return { status: response.status, text: await response.text() };
}

/** Decrypts what the bot encrypted (a passive reply), checking the padding and the receive id. */
export function wecomDecrypt(encodingAesKey: string, ciphertext: string): { message: string; receiveId: string } {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new Error('bad padding');
  const length = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + length).toString('utf8'), receiveId: plain.subarray(20 + length, plain.length - pad).toString('utf8') };
}
