// A fake cloud SMS provider on 127.0.0.1 that the OFFICIAL SDKs can be pointed at, in one of two
// modes: Alibaba Cloud (dysmsapi 2017-05-25 SendSms, ACS3-HMAC-SHA256) or Tencent Cloud (API
// 2021-01-11 SendSms, TC3-HMAC-SHA256). Each mode lives in its own dialect file and verifies the
// SDK's signature independently (node:crypto), knows the approved signatures and templates and
// checks template parameters, answering the provider's documented codes. This file holds what
// both share: per-number frequency limits for one signature+template family (1 a minute — 30 s
// for Tencent —, 5 an hour, 10 a calendar day in Beijing; configurable) with the violations the
// bot committed, scripted failures (a code, a 5xx, a hang), the record of rendered messages
// (【signature】text), and pushing receipts and replies to a URL in the provider's callback format.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliyunDialect } from './fake-sms-aliyun.ts';
import { tencentDialect } from './fake-sms-tencent.ts';

export type FakeSmsMode = 'aliyun' | 'tencent';

/** An approved template: Alibaba text with `${name}` variables, Tencent text with `{1}`, `{2}`… */
export interface FakeSmsTemplate { text: string; type?: 'verification' | 'notification' | 'marketing' }

/** At most `max` messages per number and signature+template in `window` (ms, or the calendar day in Beijing). */
export interface FakeSmsLimit { window: number | 'day'; max: number; code: string; message: string }

export interface FakeSmsConfig {
  mode: FakeSmsMode;
  accessKeyId: string;
  accessKeySecret: string;
  /** Tencent's SmsSdkAppId. */
  sdkAppId?: string;
  signatures: string[];
  templates: Record<string, FakeSmsTemplate>;
  limits?: FakeSmsLimit[];
  /** The clock the frequency limits and records use (the test's fake clock). */
  now?: () => number;
  /** The clock request timestamps are checked against: the SDKs stamp real time. */
  wallClock?: () => number;
}

/** A message the fake accepted. */
export interface SentSms { id: string; phoneE164: string; signName: string; templateCode: string; text: string; outId: string | null; at: number }

/**
 * A scripted answer for the next call (or the next `times` calls): a provider code, an HTTP error
 * status, or no answer at all (`deliver`: the message still goes out, as when only the answer is lost).
 */
export type SmsScripted = ({ code: string; message?: string } | { status: number } | { hang: true; deliver?: boolean }) & { times?: number };

/** A raw request as the dialects read it. */
export interface RawRequest { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer }
/** A raw answer: a JSON body, or text for a proxy-like failure. */
export interface RawAnswer { status: number; json?: unknown; text?: string }

/** One message a request asks for, once the dialect has read and authenticated it. */
export interface IncomingSms { phoneE164: string | null; rawPhone: string; signName: string; templateCode: string; params: string[] | Record<string, string>; outId: string | null }

/** What a dialect must provide; see fake-sms-aliyun.ts and fake-sms-tencent.ts. */
export interface SmsDialect {
  /** Authenticates and reads a request: the messages it asks for, or the answer refusing it. */
  read(request: RawRequest, server: FakeSmsServer): { messages: IncomingSms[] } | { answer: RawAnswer };
  /** Checks one message against signatures, templates and parameters: a refusal `[code, message]` or null. */
  refuse(message: IncomingSms, server: FakeSmsServer): [string, string] | null;
  /** The answer to a request once each message is accepted or refused. */
  answer(results: { message: IncomingSms; sent?: SentSms; code?: string; text?: string }[]): RawAnswer;
  /** The answer to a scripted code or HTTP status. */
  scripted(answer: { code: string; message?: string } | { status: number }): RawAnswer;
  render(template: FakeSmsTemplate, params: IncomingSms['params']): string;
  receipt(sent: SentSms, delivered: boolean, code: string, at: number): unknown;
  reply(phoneE164: string, text: string, signName: string, at: number, sequence: number): unknown;
  /** Whether a callback receiver answered as the provider requires. */
  callbackAccepted(status: number, body: unknown): boolean;
}

const DIALECTS: Record<FakeSmsMode, SmsDialect> = { aliyun: aliyunDialect, tencent: tencentDialect };
const HOUR = 3_600_000;
const DEFAULT_LIMITS: Record<FakeSmsMode, FakeSmsLimit[]> = {
  aliyun: [
    { window: 60_000, max: 1, code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发分钟级流控Permits:1' },
    { window: HOUR, max: 5, code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发小时级流控Permits:5' },
    { window: 'day', max: 10, code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发天级流控Permits:10' },
  ],
  tencent: [
    { window: 30_000, max: 1, code: 'LimitExceeded.PhoneNumberThirtySecondLimit', message: 'the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit' },
    { window: HOUR, max: 5, code: 'LimitExceeded.PhoneNumberOneHourLimit', message: 'the number of sms messages sent from a single mobile number within 1 hour exceeds the upper limit' },
    { window: 'day', max: 10, code: 'LimitExceeded.PhoneNumberDailyLimit', message: 'the number of sms messages sent from a single mobile number every day exceeds the upper limit' },
  ],
};
const BEIJING_OFFSET = 8 * HOUR;

/** Formats an instant as the providers' callbacks do: `YYYY-MM-DD HH:mm:ss`, Beijing time. */
export const beijingTime = (ms: number): string => new Date(ms + BEIJING_OFFSET).toISOString().slice(0, 19).replace('T', ' ');

export class FakeSmsServer {
  readonly sent: SentSms[] = [];
  /** Frequency limits the bot ran into (each answered with the throttling code): should stay empty. */
  readonly violations: string[] = [];
  /** Every request's outcome in order: `sent`, a code, `script`, or an auth code. */
  readonly log: string[] = [];
  /** Every request as it arrived, for tests that replay or tamper with one. */
  readonly requests: RawRequest[] = [];
  readonly usedNonces = new Set<string>();
  readonly #blacklist = new Set<string>();
  readonly #script: SmsScripted[] = [];
  readonly #dialect: SmsDialect;
  readonly now: () => number;
  readonly wallClock: () => number;
  #nextId = 1;
  #lastPush: { url: string; payload: unknown } | null = null;
  #server: Server | null = null;

  constructor(readonly config: FakeSmsConfig) {
    this.#dialect = DIALECTS[config.mode];
    this.now = config.now ?? Date.now;
    this.wallClock = config.wallClock ?? Date.now;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Answers the next calls with these, in order, after authentication. */
  script(...answers: SmsScripted[]): void { this.#script.push(...answers); }
  /** Puts a number on the do-not-disturb list (Tencent answers FailedOperation.PhoneNumberInBlacklist). */
  blacklist(phoneE164: string): void { this.#blacklist.add(phoneE164); }
  isBlacklisted(phoneE164: string): boolean { return this.#blacklist.has(phoneE164); }
  sentTo(phoneE164: string): SentSms[] { return this.sent.filter((m) => m.phoneE164 === phoneE164); }
  newId(): number { return this.#nextId++; }

  /** POSTs a delivery receipt for `sent` to `url` in the provider's format; returns whether it was accepted as documented. */
  async pushReceipt(url: string, sent: SentSms, outcome: { delivered: boolean; code?: string; at?: number }): Promise<{ accepted: boolean; status: number }> {
    const code = outcome.code ?? (outcome.delivered ? (this.config.mode === 'aliyun' ? 'DELIVERED' : 'DELIVRD') : 'UNDELIV');
    return this.#push(url, [this.#dialect.receipt(sent, outcome.delivered, code, outcome.at ?? this.now())]);
  }

  /** POSTs an inbound reply (上行) from `phoneE164` to `url` in the provider's format. */
  async pushReply(url: string, phoneE164: string, text: string, at = this.now()): Promise<{ accepted: boolean; status: number }> {
    const payload = this.#dialect.reply(phoneE164, text, this.config.signatures[0] ?? '', at, this.newId());
    return this.#push(url, this.config.mode === 'aliyun' ? [payload] : payload);
  }

  /** POSTs the last receipt or reply batch again, byte for byte, as the provider does when it got no acknowledgement. */
  async resendLast(): Promise<{ accepted: boolean; status: number }> {
    if (!this.#lastPush) throw new Error('nothing was pushed yet');
    return this.#push(this.#lastPush.url, this.#lastPush.payload);
  }

  async #push(url: string, payload: unknown): Promise<{ accepted: boolean; status: number }> {
    this.#lastPush = { url, payload };
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const body: unknown = await response.json().catch(() => null);
    return { accepted: this.#dialect.callbackAccepted(response.status, body), status: response.status };
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RawRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://fake'), headers: req.headers, body: Buffer.concat(chunks) };
    this.requests.push(request);
    const answer = this.#handle(request);
    if (!answer || res.writableEnded) return; // a hang: the client must give up
    if (answer.json === undefined) res.writeHead(answer.status, { 'content-type': 'text/html' }).end(answer.text ?? '');
    else res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': randomUUID() }).end(JSON.stringify(answer.json));
  }

  #handle(request: RawRequest): RawAnswer | null {
    const read = this.#dialect.read(request, this);
    if ('answer' in read) {
      this.log.push(`refused: ${JSON.stringify(read.answer.json ?? read.answer.status)}`);
      return read.answer;
    }
    const scripted = this.#script.shift();
    if (scripted && (scripted.times ?? 1) > 1) this.#script.unshift({ ...scripted, times: (scripted.times ?? 1) - 1 });
    if (scripted) {
      this.log.push(`script: ${JSON.stringify(scripted)}`);
      if (!('hang' in scripted)) return this.#dialect.scripted(scripted);
      if (scripted.deliver) read.messages.forEach((m) => this.#accept(m));
      return null;
    }
    return this.#dialect.answer(read.messages.map((message) => {
      const refusal = this.#dialect.refuse(message, this) ?? this.#throttle(message);
      if (refusal) {
        this.log.push(refusal[0]);
        return { message, code: refusal[0], text: refusal[1] };
      }
      this.log.push('sent');
      return { message, sent: this.#accept(message) };
    }));
  }

  #accept(message: IncomingSms): SentSms {
    const template = this.config.templates[message.templateCode] ?? { text: '' };
    const text = `【${message.signName}】${this.#dialect.render(template, message.params)}`;
    const sent: SentSms = { id: String(this.newId()), phoneE164: message.phoneE164 ?? message.rawPhone, signName: message.signName, templateCode: message.templateCode, text, outId: message.outId, at: this.now() };
    this.sent.push(sent);
    return sent;
  }

  #throttle(message: IncomingSms): [string, string] | null {
    const now = this.now();
    const family = this.sent.filter((m) => m.phoneE164 === message.phoneE164 && m.signName === message.signName && m.templateCode === message.templateCode);
    for (const limit of this.config.limits ?? DEFAULT_LIMITS[this.config.mode]) {
      const since = limit.window === 'day' ? Math.floor((now + BEIJING_OFFSET) / (24 * HOUR)) * 24 * HOUR - BEIJING_OFFSET : now - limit.window;
      const count = family.filter((m) => (limit.window === 'day' ? m.at >= since : m.at > since)).length;
      if (count >= limit.max) {
        this.violations.push(`${message.phoneE164} ${message.templateCode}: ${limit.message}`);
        return [limit.code, limit.message];
      }
    }
    return null;
  }
}
