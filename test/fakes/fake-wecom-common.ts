// Shared pieces of the fake WeCom server: the answer helpers, the context each area of the API
// gets, and the errcodes it answers with, each with where it comes from.

export type Json = Record<string, unknown>;
/** A WeCom JSON answer (always HTTP 200; errcode 0 is success). */
export type Answer = Json & { errcode: number; errmsg: string };

/** What every area of the fake shares: its clock and the violation log. */
export interface FakeContext {
  readonly corpId: string;
  /** Milliseconds since the epoch, on the test's clock. */
  now(): number;
  /** Records a breach of a documented rule by the bot; tests expect this log to stay empty. */
  violation(text: string): void;
}

/**
 * errcodes. Confirmed in the global error code list (全局错误码, path/90313, and WxJava's copy of it)
 * unless marked otherwise.
 */
export const ERR = {
  busy: -1,
  invalidCredential: 40001, // 不合法的secret参数 (gettoken) / invalid credential
  invalidCorpId: 40013,
  invalidToken: 40014,
  invalidOAuthCode: 40029, // 不合法的oauth_code: used once, valid 5 minutes
  invalidParameter: 40058, // 不合法的参数 — also used where the exact errcode is not documented (see UNCONFIRMED)
  invalidExternalUserId: 40096,
  memberNotResigned: 40097, // 该成员尚未离职: resigned/transfer_customer for an employee who has not left
  transferTooFrequent: 40128, // 客户转接过于频繁 (in-service: a customer at most twice in 90 days, per transfer_customer's page)
  transferInProgress: 40129, // 当前客户正在转接中
  sameHandoverAndTakeover: 40130, // 原跟进人与接手人一样，不可继承
  notHandoverCustomer: 40131, // handover_userid 并不是外部联系人的跟进人
  missingToken: 41001,
  welcomeAlreadySent: 41051, // send_welcome_msg: externaluser has started chatting (documented on that page)
  tokenExpired: 42001,
  freqLimit: 45009,
  concurrencyLimit: 45033,
  userNotFound: 60111,
  allRecipientsInvalid: 81013, // message/send: every recipient invalid (documented on that page)
  notExternalContact: 84061, // 不存在外部联系人的关系
  kfMessageCountLimit: 95001, // 发送客服消息次数限制 (5 within 48 h)
  kfMessageTimeLimit: 95002, // 发送客服消息时间限制 (48 h) — from third-party code, not the primary page
} as const;

/**
 * Where the documentation names a rule but not the errcode for breaking it (a welcome code used
 * after 20 s, an unknown or reused kf welcome code, a state or scene too long, an unknown sync
 * cursor or msg token), the fake answers `ERR.invalidParameter` and records a violation.
 */
export const UNCONFIRMED = ERR.invalidParameter;

export const ok = (extra: Json = {}): Answer => ({ errcode: 0, errmsg: 'ok', ...extra });
export const fail = (errcode: number, errmsg: string): Answer => ({ errcode, errmsg: `${errmsg} (fake)` });

/** A sequence of opaque ids: `prefix` + counter. */
export function idMaker(prefix: string): () => string {
  let next = 1;
  return () => `${prefix}${String(next++).padStart(6, '0')}`;
}

export const asString = (value: unknown): string => (typeof value === 'string' ? value : '');
export const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Renders a callback XML the way WeCom does: strings in CDATA, numbers bare. */
export function callbackXml(fields: Record<string, string | number | undefined>): string {
  const parts = Object.entries(fields)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => (typeof value === 'number' ? `<${key}>${value}</${key}>` : `<${key}><![CDATA[${value}]]></${key}>`));
  return `<xml>${parts.join('')}</xml>`;
}
