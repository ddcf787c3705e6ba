// Every way a WeCom server API call can fail, as typed errors, and what each means for the
// outbox. Decided here, once (ARCHITECTURE.md: "decide once, in one place, which errors are
// retried"). Error messages never carry the access_token or the app secret.
import type { SendOutcome } from '../../../core/outbox/channel-port.ts';

/** errcodes that mean "this access_token is no good": invalidate it, fetch a new one, retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([
  40001, // invalid credential (on a business API: the token; on gettoken: the secret)
  40014, // 不合法的access_token
  42001, // access_token已过期
]);

/**
 * errcodes that mean "not now": -1 系统繁忙 (the docs advise retrying, at most 3 times), 45009
 * 接口调用超过限制 (a per-minute limit blocks for 60 s, per-hour for 60 min), 45033 接口并发调用超过限制.
 * The value is the back-off we suggest; WeCom itself says nothing about when to come back.
 */
const RETRYABLE_BACKOFF_MS: ReadonlyMap<number, number> = new Map([
  [-1, 2_000],
  [45009, 60_000],
  [45033, 1_000],
]);

/** kf/send_msg errcodes for a closed window: 95001 发送客服消息次数限制 (5 within 48 h), 95002 发送客服消息时间限制 (48 h). */
export const KF_WINDOW_ERRCODES: ReadonlySet<number> = new Set([95001, 95002]);

/** gettoken errcodes that mean the configured corp id or secret is wrong, with what to fix. */
const CREDENTIAL_HINTS: ReadonlyMap<number, string> = new Map([
  [40001, 'the app secret was refused: copy the Secret of this app again (企业微信管理后台 → 应用管理 → the app → Secret)'],
  [40013, 'the corp id was refused: copy the 企业ID again (企业微信管理后台 → 我的企业 → 企业信息)'],
  [40091, 'the app secret does not belong to this corp: check that the corp id and the secret come from the same 企业微信'],
  [41002, 'the corp id is missing'],
  [41004, 'the app secret is missing'],
]);

/** A WeCom answer with a non-zero errcode. */
export class WecomApiError extends Error {
  override readonly name: string = 'WecomApiError';
  constructor(
    /** WeCom's errcode; see https://developer.work.weixin.qq.com/document/path/90313 */
    readonly errcode: number,
    /** WeCom's errmsg, as given (it carries a hint id, never our token). */
    readonly errmsg: string,
    /** The API path, e.g. `message/send`. */
    readonly method: string,
    hint?: string,
  ) {
    super(`WeCom ${method} failed: errcode ${errcode} ${errmsg}${hint ? ` — ${hint}` : ''}`);
  }

  /** Whether this errcode means the token was rejected (and one refresh may help). */
  get tokenRejected(): boolean {
    return TOKEN_REJECTED_ERRCODES.has(this.errcode);
  }
}

/** A "try again later" answer (-1, 45009, 45033), with the back-off we suggest. */
export class WecomRetryableError extends WecomApiError {
  override readonly name: string = 'WecomRetryableError';
  constructor(errcode: number, errmsg: string, method: string, readonly retryAfterMs: number) {
    super(errcode, errmsg, method, `retry in ${Math.round(retryAfterMs / 1000)} s`);
  }
}

/** gettoken refused the configured credentials; the message names what to fix. */
export class WecomCredentialsError extends WecomApiError {
  override readonly name: string = 'WecomCredentialsError';
}

/**
 * The HTTP exchange itself failed. `not-sent`: the request never reached WeCom (DNS, connection
 * refused): safe to retry. `no-answer`: it may have reached WeCom but no answer came back (timeout,
 * reset): the outbox must treat the call as ambiguous. `bad-answer`: something answered that is
 * not WeCom's JSON (a proxy's error page).
 */
export class WecomNetworkError extends Error {
  override readonly name = 'WecomNetworkError';
  constructor(readonly kind: 'not-sent' | 'no-answer' | 'bad-answer', readonly method: string, detail: string) {
    super(`WeCom ${method}: ${kind === 'not-sent' ? 'request not sent' : kind === 'no-answer' ? 'no answer' : 'not a WeCom answer'} (${detail})`);
  }
}

/** errcode 0, but the answer lacks what the documentation promises. */
export class WecomUnexpectedAnswerError extends Error {
  override readonly name = 'WecomUnexpectedAnswerError';
  constructor(readonly method: string, detail: string) {
    super(`WeCom ${method}: unexpected answer (${detail})`);
  }
}

/** Builds the right error class for a non-zero errcode. */
export function wecomApiError(errcode: number, errmsg: string, method: string): WecomApiError {
  const backoff = RETRYABLE_BACKOFF_MS.get(errcode);
  if (backoff !== undefined) return new WecomRetryableError(errcode, errmsg, method, backoff);
  const hint = method === 'gettoken' ? CREDENTIAL_HINTS.get(errcode) : undefined;
  if (hint) return new WecomCredentialsError(errcode, errmsg, method, hint);
  return new WecomApiError(errcode, errmsg, method);
}

/**
 * What a failed send means for the outbox. WeCom de-duplicates app messages sent with
 * `enable_duplicate_check`, so a `no-answer` is `ambiguous` and the dispatcher may resend the
 * identical request inside the duplicate-check window.
 */
export function classifyWecomError(error: unknown): SendOutcome {
  const what = error instanceof Error ? error.message : String(error);
  if (error instanceof WecomRetryableError) return { status: 'retry', error: what, retryAfterMs: error.retryAfterMs };
  if (error instanceof WecomApiError) {
    // The token was refused even after one refresh, or the credentials are wrong: another try
    // later may find them fixed; the message itself is not at fault.
    if (error.tokenRejected || error instanceof WecomCredentialsError) return { status: 'retry', error: what };
    // 95001 / 95002: a 微信客服 chat's window (5 messages within 48 h of the customer's last
    // message) is closed: not the message's fault; the consultant forwards it instead.
    if (KF_WINDOW_ERRCODES.has(error.errcode)) return { status: 'window-closed', error: what };
    // 84061 不存在外部联系人的关系 / 40096 不合法的外部联系人userid: the customer is gone.
    if (error.errcode === 84061 || error.errcode === 40096) return { status: 'blocked', error: what };
    return { status: 'rejected', error: what };
  }
  if (error instanceof WecomNetworkError) return error.kind === 'no-answer' ? { status: 'ambiguous', error: what } : { status: 'retry', error: what };
  return { status: 'ambiguous', error: what };
}
