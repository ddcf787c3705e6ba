// A fake WeCom (企业微信) server API on 127.0.0.1, speaking the documented JSON: every answer is
// HTTP 200 with `{ errcode, errmsg, … }`. It checks access tokens the way WeCom does (per secret,
// valid expires_in = 7200 s on its clock, 41001 / 40014 / 42001), counts gettoken calls, lets a
// test script answers (an errcode, a raw body, or no answer) for the next calls of a method, and
// enforces the documented limits of each area, recording every breach in `violations`:
// externalcontact/* in fake-wecom-contacts.ts and fake-wecom-templates.ts, 客户继承 in
// fake-wecom-transfers.ts, kf/* in fake-wecom-kf.ts, message/send and the directory in
// fake-wecom-app.ts. It can also POST signed, encrypted callbacks to the bot.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERR, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';
import { FakeWecomApp } from './fake-wecom-app.ts';
import { FakeWecomContacts } from './fake-wecom-contacts.ts';
import { FakeWecomKf } from './fake-wecom-kf.ts';
import { FakeWecomTemplates } from './fake-wecom-templates.ts';
import { FakeWecomTransfers } from './fake-wecom-transfers.ts';
import { postCallback } from './wecom-callback-signer.ts';

/**
 * A scripted answer for the next call of a method: an errcode, an exact JSON body, or no answer at
 * all — `hang: 'before'` without doing anything, `hang: 'after'` after doing what was asked (the
 * bot's request took effect but its answer was lost).
 */
export type WecomScripted = { errcode: number; errmsg?: string } | { raw: Json } | { hang: 'before' | 'after' };

export interface FakeWecomOptions {
  corpId: string;
  /** The app secrets gettoken accepts. */
  secrets: string[];
  /** The clock every limit is measured by (the test's fake clock, or real time). */
  now?: () => number;
  /** Default 7200 s, as documented. */
  tokenTtlS?: number;
  /** Where and how to deliver callbacks (`pushCallback`). */
  callback?: { url: string; token: string; encodingAesKey: string };
}

export class FakeWecomServer {
  /** Breaches of documented limits by the bot; tests expect this to stay empty. */
  readonly violations: string[] = [];
  /** Every API path called (without `cgi-bin/`), in order. */
  readonly calls: string[] = [];
  gettokenCalls = 0;
  readonly contacts: FakeWecomContacts;
  readonly templates: FakeWecomTemplates;
  readonly kf: FakeWecomKf;
  readonly app: FakeWecomApp;
  readonly transfers: FakeWecomTransfers;
  readonly #now: () => number;
  readonly #tokens = new Map<string, { secret: string; expiresAt: number }>();
  readonly #script = new Map<string, WecomScripted[]>();
  readonly #hanging = new Set<ServerResponse>();
  readonly #token = idMaker('fake-access-token-');
  #server: Server | null = null;

  constructor(private readonly options: FakeWecomOptions) {
    this.#now = options.now ?? Date.now;
    const ctx: FakeContext = { corpId: options.corpId, now: () => this.#now(), violation: (text) => this.violations.push(text) };
    this.contacts = new FakeWecomContacts(ctx);
    this.templates = new FakeWecomTemplates(ctx, this.contacts);
    this.kf = new FakeWecomKf(ctx);
    this.app = new FakeWecomApp(ctx);
    this.transfers = new FakeWecomTransfers(ctx, this.contacts, (userId) => this.app.isMember(userId));
  }

  /** Employee `userId` leaves the corp (离职): gone from the directory, their customers waiting for 离职继承. */
  resign(userId: string): void {
    this.app.removeMember(userId);
    this.transfers.resign(userId);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Queues answers for the next calls of `method` (e.g. `gettoken`, `message/send`). */
  script(method: string, ...answers: WecomScripted[]): void {
    this.#script.set(method, [...(this.#script.get(method) ?? []), ...answers]);
  }

  /** WeCom may revoke tokens before they expire ("提前使access_token失效"): every issued token becomes invalid. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** Signs, encrypts and POSTs a callback XML to the configured callback URL, stamped with the fake's clock. */
  pushCallback(xml: string): Promise<{ status: number; text: string }> {
    const target = this.options.callback;
    if (!target) throw new Error('FakeWecomServer: no callback configured');
    return postCallback(target.url, { token: target.token, encodingAesKey: target.encodingAesKey, receiveId: this.options.corpId }, xml, Math.floor(this.#now() / 1000));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    const reply = (answer: Json) => {
      if (!res.writableEnded) res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(answer));
    };
    const method = url.pathname.startsWith('/cgi-bin/') ? url.pathname.slice('/cgi-bin/'.length) : '';
    if (!method) return void res.writeHead(404).end('not found');
    this.calls.push(method);
    const scripted = this.#script.get(method)?.shift();
    if (scripted && 'hang' in scripted && scripted.hang === 'before') return void this.#hanging.add(res);
    if (scripted && 'raw' in scripted) return reply(scripted.raw);
    if (scripted && 'errcode' in scripted) return reply(fail(scripted.errcode, scripted.errmsg ?? 'scripted'));
    const answer = method === 'gettoken' ? this.#gettoken(url.searchParams) : this.#call(method, url.searchParams, raw);
    if (scripted) return void this.#hanging.add(res); // hang: 'after' — done, but no answer
    reply(answer);
  }

  #gettoken(query: URLSearchParams): Answer {
    this.gettokenCalls += 1;
    if (!query.get('corpid')) return fail(41002, 'corpid missing');
    if (query.get('corpid') !== this.options.corpId) return fail(ERR.invalidCorpId, 'invalid corpid');
    const secret = query.get('corpsecret') ?? '';
    if (!this.options.secrets.includes(secret)) return fail(ERR.invalidCredential, 'invalid credential');
    const now = this.#now();
    // 有效期内重复获取返回相同结果: the same token again while it is valid.
    const current = [...this.#tokens].find(([, t]) => t.secret === secret && t.expiresAt > now);
    if (current) return ok({ access_token: current[0], expires_in: Math.floor((current[1].expiresAt - now) / 1000) });
    const token = this.#token();
    const ttl = this.options.tokenTtlS ?? 7200;
    this.#tokens.set(token, { secret, expiresAt: now + ttl * 1000 });
    return ok({ access_token: token, expires_in: ttl });
  }

  #call(method: string, query: URLSearchParams, raw: string): Answer {
    const token = query.get('access_token');
    if (!token) return fail(ERR.missingToken, 'access_token missing');
    const issued = this.#tokens.get(token);
    if (!issued) return fail(ERR.invalidToken, 'invalid access_token');
    if (issued.expiresAt <= this.#now()) return fail(ERR.tokenExpired, 'access_token expired');
    let body: Json = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        this.violations.push(`${method}: body is not JSON`);
        return fail(ERR.invalidParameter, 'Warning: wrong json format.');
      }
    }
    return this.contacts.handle(method, body, query) ?? this.templates.handle(method, body) ?? this.transfers.handle(method, body, query) ?? this.kf.handle(method, body)
      ?? this.app.handle(method, body, query)
      ?? fail(ERR.invalidParameter, `unknown api ${method}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
