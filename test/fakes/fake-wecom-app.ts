// The app side of the fake WeCom server: app messages to employees (message/send), the directory
// (user/list_id, user/get) and OAuth sign-in (auth/getuserinfo). message/send enforces 访问频率限制
// (path/90454): per app and employee at most 30 a minute and 1000 an hour, the excess silently
// dropped (answered ok); and enable_duplicate_check: the same request JSON within
// duplicate_check_interval (default 1800 s, at most 4 h) is not delivered again.
import { ERR, asString, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';

export interface AppDelivery { agentId: number; toUser: string; msgtype: string; content: string; msgid: string; at: number }
export interface DirectoryUser { userid: string; name: string; department: number[]; position?: string; status?: number }

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export class FakeWecomApp {
  /** Messages that reached an employee. */
  readonly delivered: AppDelivery[] = [];
  /** Messages WeCom took (answered ok) but did not deliver: over the per-employee limits. */
  readonly dropped: AppDelivery[] = [];
  /** Requests answered from the duplicate check instead of delivered again. */
  duplicatesSuppressed = 0;
  readonly #seen = new Map<string, { msgid: string; at: number; intervalMs: number }>();
  readonly #directory = new Map<string, DirectoryUser>();
  readonly #codes = new Map<string, { identity: Json; issuedAt: number }>();
  readonly #msgid = idMaker('appmsg');
  readonly #code = idMaker('oauthcode');

  constructor(private readonly ctx: FakeContext) {}

  setDirectory(users: DirectoryUser[]): void {
    this.#directory.clear();
    for (const user of users) this.#directory.set(user.userid, user);
  }

  /** Whether `userId` is a member of the corp's directory. */
  isMember(userId: string): boolean {
    return this.#directory.has(userId);
  }

  /** The employee leaves the corp (离职): user/get answers 60111 for them from now on. */
  removeMember(userId: string): void {
    this.#directory.delete(userId);
  }

  /** An OAuth code for an employee (or, with `openid`, for someone outside the corp); valid 5 minutes, once. */
  issueOAuthCode(who: { userid: string } | { openid: string }): string {
    const code = this.#code();
    this.#codes.set(code, { identity: { ...who }, issuedAt: this.ctx.now() });
    return code;
  }

  deliveredTo(userId: string): AppDelivery[] {
    return this.delivered.filter((d) => d.toUser === userId);
  }

  handle(method: string, body: Json, query: URLSearchParams): Answer | null {
    switch (method) {
      case 'message/send': return this.#send(body);
      case 'user/list_id': return this.#listIds(body);
      case 'user/get': {
        const user = this.#directory.get(query.get('userid') ?? '');
        return user ? ok({ ...user, status: user.status ?? 1 }) : fail(ERR.userNotFound, 'userid not found');
      }
      case 'auth/getuserinfo': {
        const code = query.get('code') ?? '';
        const issued = this.#codes.get(code);
        this.#codes.delete(code);
        if (!issued || this.ctx.now() - issued.issuedAt > 5 * MINUTE) return fail(ERR.invalidOAuthCode, 'invalid code');
        return ok(issued.identity);
      }
      default: return null;
    }
  }

  #send(body: Json): Answer {
    const now = this.ctx.now();
    const agentId = Number(body.agentid);
    const msgtype = asString(body.msgtype);
    const payload = body[msgtype] as Json | undefined;
    if (!Number.isInteger(agentId) || !payload || !['text', 'textcard'].includes(msgtype)) return fail(ERR.invalidParameter, 'invalid message');
    const duplicate = this.#duplicate(body, now);
    if (duplicate) return duplicate;
    const recipients = asString(body.touser).split('|').filter(Boolean);
    const known = recipients.filter((u) => this.#directory.has(u));
    if (known.length === 0) return fail(ERR.allRecipientsInvalid, 'all recipients invalid');
    const msgid = this.#msgid();
    const content = msgtype === 'text' ? asString(payload.content) : `${asString(payload.title)}\n${asString(payload.description)}\n${asString(payload.url)}`;
    for (const toUser of known) this.#deliver({ agentId, toUser, msgtype, content, msgid, at: now });
    if (body.enable_duplicate_check === 1) {
      const intervalS = Math.min(4 * 3600, Number(body.duplicate_check_interval ?? 1800) || 1800);
      this.#seen.set(JSON.stringify(body), { msgid, at: now, intervalMs: intervalS * 1000 });
    }
    const invalid = recipients.filter((u) => !this.#directory.has(u));
    return ok({ msgid, ...(invalid.length ? { invaliduser: invalid.join('|') } : {}) });
  }

  #duplicate(body: Json, now: number): Answer | null {
    if (body.enable_duplicate_check !== 1) return null;
    const seen = this.#seen.get(JSON.stringify(body));
    if (!seen || now - seen.at >= seen.intervalMs) return null;
    this.duplicatesSuppressed += 1;
    return ok({ msgid: seen.msgid });
  }

  #deliver(delivery: AppDelivery): void {
    const earlier = this.delivered.filter((d) => d.agentId === delivery.agentId && d.toUser === delivery.toUser);
    const lastMinute = earlier.filter((d) => delivery.at - d.at < MINUTE).length;
    const lastHour = earlier.filter((d) => delivery.at - d.at < HOUR).length;
    if (lastMinute >= 30 || lastHour >= 1000) {
      this.ctx.violation(`message/send to ${delivery.toUser}: ${lastMinute >= 30 ? '31st message within a minute' : '1001st message within an hour'} (dropped)`);
      this.dropped.push(delivery);
      return;
    }
    this.delivered.push(delivery);
  }

  #listIds(body: Json): Answer {
    const limit = Number(body.limit ?? 10000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return fail(ERR.invalidParameter, 'limit must be 1..10000');
    const pairs = [...this.#directory.values()].flatMap((u) => u.department.map((department) => ({ userid: u.userid, department })));
    const cursor = asString(body.cursor);
    const start = cursor ? Number(/^u(\d+)$/.exec(cursor)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(start)) return fail(ERR.invalidParameter, 'invalid cursor');
    const next = start + limit;
    return ok({ next_cursor: next < pairs.length ? `u${next}` : '', dept_user: pairs.slice(start, next) });
  }
}
