// WeCom callback security (the 加解密方案 of the server API documentation).
// WeCom's official `@wecom/crypto` computes the signature and does the AES work; the rest is ours:
// the constant-time signature comparison, the receive-id (corp id) check, the replay window, and
// refusing hostile input without ever throwing. Its decrypt trusts the plaintext's length field and
// padding, so the shape of what it returns is checked again here.
import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/** Why a callback was refused. */
export type WecomRefusal = 'bad-signature' | 'wrong-corp' | 'stale-timestamp' | 'malformed';

/** The callback's query string: msg_signature, timestamp, nonce (and echostr for the URL check). */
export interface WecomCallbackQuery {
  msg_signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
  echostr?: unknown;
}

/** The secrets of one callback URL (企业微信管理后台 → the app → 接收消息 → API接收). */
export interface WecomCallbackCryptoOptions {
  token: string;
  encodingAesKey: string;
  /** The corp id: the receive id that must end every plaintext. */
  corpId: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** How far a callback's timestamp may be from now, either way; default 5 minutes. */
  maxSkewMs?: number;
}

/** An `Encrypt` longer than this is refused unread (WeCom's callbacks are a few KiB). */
const MAX_CIPHERTEXT_CHARS = 256 * 1024;
/** Strict standard base64: whole 4-character groups, padding only at the end. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const AES_KEY_FORMAT = /^[A-Za-z0-9+/]{43}$/;

/**
 * Checks an EncodingAESKey: 43 characters of the base64 alphabet that decode (with a trailing
 * `=`) to a 32-byte AES-256 key. Returns a message naming the problem, or null when it is fine.
 */
export function encodingAesKeyProblem(key: string): string | null {
  if (key.length !== 43) return `EncodingAESKey must be 43 characters long (got ${key.length})`;
  if (!AES_KEY_FORMAT.test(key)) return 'EncodingAESKey may only contain the characters A–Z, a–z, 0–9, + and /';
  if (Buffer.from(`${key}=`, 'base64').length !== 32) return 'EncodingAESKey does not decode to a 32-byte key; copy it again from the WeCom admin console';
  return null;
}

/** The callback crypto of one app, checked at construction (throws on a bad EncodingAESKey). */
export class WecomCallbackCrypto {
  readonly #maxSkewMs: number;

  constructor(private readonly options: WecomCallbackCryptoOptions) {
    const problem = encodingAesKeyProblem(options.encodingAesKey);
    if (problem) throw new Error(problem);
    if (options.token.length === 0) throw new Error('the callback Token must not be empty');
    this.#maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  }

  /** The URL check (GET with `echostr`): the decrypted echostr to answer with, or a refusal. */
  verifyUrl(query: WecomCallbackQuery): { ok: true; plaintext: string } | { ok: false; reason: WecomRefusal } {
    const opened = this.#open(query, query.echostr);
    return opened.ok ? { ok: true, plaintext: opened.plaintext } : opened;
  }

  /** A message callback (POST): the decrypted inner XML, or a refusal. `encrypted` is the envelope's `Encrypt`. */
  openMessage(query: WecomCallbackQuery, encrypted: unknown): { ok: true; xml: string } | { ok: false; reason: WecomRefusal } {
    const opened = this.#open(query, encrypted);
    return opened.ok ? { ok: true, xml: opened.plaintext } : opened;
  }

  /**
   * An encrypted passive reply envelope. WeCom also accepts an empty 200 answer, which is what
   * the bot normally gives (it replies through the API, after the 5-second callback deadline).
   */
  sealReply(xml: string, timestamp: string, nonce: string): string {
    const ciphertext = encrypt(this.options.encodingAesKey, xml, this.options.corpId);
    const signature = getSignature(this.options.token, timestamp, nonce, ciphertext);
    return `<xml><Encrypt><![CDATA[${ciphertext}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
  }

  #open(query: WecomCallbackQuery, ciphertext: unknown): { ok: true; plaintext: string } | { ok: false; reason: WecomRefusal } {
    const { msg_signature: signature, timestamp, nonce } = query;
    if (!isShortString(signature, 64) || !isShortString(timestamp, 20) || !isShortString(nonce, 128)) return { ok: false, reason: 'malformed' };
    if (typeof ciphertext !== 'string' || ciphertext.length === 0 || ciphertext.length > MAX_CIPHERTEXT_CHARS) return { ok: false, reason: 'malformed' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
    if (!sameText(getSignature(this.options.token, timestamp, nonce, ciphertext), signature)) return { ok: false, reason: 'bad-signature' };
    if (Math.abs(this.options.now() - Number(timestamp) * 1000) > this.#maxSkewMs) return { ok: false, reason: 'stale-timestamp' };
    return this.#decrypt(ciphertext);
  }

  #decrypt(ciphertext: string): { ok: true; plaintext: string } | { ok: false; reason: WecomRefusal } {
    if (!BASE64.test(ciphertext)) return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(ciphertext, 'base64').length;
    // WeCom pads to a multiple of 32 bytes; anything else was not made by it.
    if (bytes < 32 || bytes % 32 !== 0) return { ok: false, reason: 'malformed' };
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.options.encodingAesKey, ciphertext);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    // 16 random bytes + 4-byte length + message + receive id + 1..32 bytes of padding: a length
    // field pointing past the end or a padding @wecom/crypto did not strip breaks this sum.
    const padding = bytes - 20 - Buffer.byteLength(opened.message) - Buffer.byteLength(opened.id);
    if (opened.id.length === 0 || padding < 1 || padding > 32) return { ok: false, reason: 'malformed' };
    if (!sameText(opened.id, this.options.corpId)) return { ok: false, reason: 'wrong-corp' };
    return { ok: true, plaintext: opened.message };
  }
}

function isShortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** Constant-time equality: timingSafeEqual needs equal lengths, and a length mismatch is a plain "no". */
function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
