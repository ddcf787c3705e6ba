// The WeCom (企业微信) server API client: one instance per app secret (WeCom issues one
// access_token per secret). It owns the token cache, turns errcodes into typed errors, and offers
// only the endpoints the WeCom channel uses. Request shapes follow the 服务端API documentation.
import type { z } from 'zod';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { WecomAccessTokenCache } from './wecom-access-token.ts';
import * as answers from './wecom-api-schemas.ts';
import { WecomApiError, WecomUnexpectedAnswerError, wecomApiError } from './wecom-errors.ts';
import { wecomExchange, type WecomHttp } from './wecom-http.ts';

/** How to build a client. */
export interface WecomApiClientOptions {
  /** 企业ID. */
  corpId: string;
  /** The Secret of one app (自建应用, 客户联系 or 微信客服); the token is cached per client. */
  secret: string;
  /** Default `https://qyapi.weixin.qq.com`; tests point it at the fake server. */
  apiBase?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Per HTTP exchange; default 10 s. */
  timeoutMs?: number;
  /** Replace the token this long before it expires; default 5 minutes. */
  tokenMarginMs?: number;
}

/** An app message (message/send): plain text, or a text card that opens a link. */
export type AppMessage =
  | { kind: 'text'; content: string }
  | { kind: 'textcard'; title: string; description: string; url: string; buttonText?: string };

/** Who signed in through OAuth (auth/getuserinfo). */
export type OAuthIdentity =
  | { kind: 'member'; userId: string }
  | { kind: 'non-member'; openId?: string; externalUserId?: string };

type Request = { query?: Record<string, string>; body?: unknown };

/** 84061 不存在外部联系人的关系: externalcontact/list's answer for an employee without customers. */
const NO_EXTERNAL_CONTACT = 84061;

/** The WeCom server API, typed and narrow. Methods throw the errors of `wecom-errors.ts`. */
export class WecomApiClient {
  readonly #http: WecomHttp;
  readonly #apiBase: string;
  readonly #tokens: WecomAccessTokenCache;

  constructor(private readonly options: WecomApiClientOptions) {
    this.#http = { fetch: options.fetch ?? globalThis.fetch, timeoutMs: options.timeoutMs ?? 10_000 };
    this.#apiBase = (options.apiBase ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '');
    const clock = options.clock ?? systemClock;
    this.#tokens = new WecomAccessTokenCache(() => this.#fetchToken(), () => clock.now().getTime(), options.tokenMarginMs);
  }

  /**
   * Calls `cgi-bin/<method>` with the cached token. A token WeCom rejects (40001, 40014, 42001)
   * is dropped, fetched anew and the call retried once; a second rejection is thrown.
   */
  async call<S extends z.ZodType>(method: string, request: Request, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const token = await this.#tokens.get();
    try {
      return await this.#callWith(token, method, request, schema, signal);
    } catch (error) {
      if (!(error instanceof WecomApiError) || !error.tokenRejected) throw error;
      this.#tokens.invalidate(token);
      return this.#callWith(await this.#tokens.get(), method, request, schema, signal);
    }
  }

  /** externalcontact/add_contact_way: a 「联系我」 QR code for one or several employees. `state` ≤ 30 characters. */
  /** externalcontact/add_contact_way as a QR code: `single` (type 1) adds exactly one employee, else (type 2) one of several. */
  async addContactWay(input: { users: string[]; single: boolean; state?: string; remark?: string; skipVerify?: boolean }): Promise<{ configId: string; qrCode: string }> {
    const body = { type: input.single ? 1 : 2, scene: 2, user: input.users, state: input.state, remark: input.remark, skip_verify: input.skipVerify ?? true };
    const answer = await this.call('externalcontact/add_contact_way', { body }, answers.addContactWayAnswer);
    if (!answer.qr_code) throw new WecomUnexpectedAnswerError('externalcontact/add_contact_way', 'no qr_code for a QR-code contact way');
    return { configId: answer.config_id, qrCode: answer.qr_code };
  }

  /** externalcontact/update_contact_way: the employees a code adds (its type and the printed QR code stay). */
  async updateContactWay(input: { configId: string; users: string[] }): Promise<void> {
    await this.call('externalcontact/update_contact_way', { body: { config_id: input.configId, user: input.users } }, answers.emptyAnswer);
  }

  /** externalcontact/send_welcome_msg: once per WelcomeCode, within 20 s of the add event. */
  async sendWelcomeMsg(input: { welcomeCode: string; text: string }, signal?: AbortSignal): Promise<void> {
    await this.call('externalcontact/send_welcome_msg', { body: { welcome_code: input.welcomeCode, text: { content: input.text } } }, answers.emptyAnswer, signal);
  }

  /** externalcontact/get: a customer and the employees who follow them. */
  getExternalContact(externalUserId: string, cursor?: string): Promise<answers.ExternalContactDetail> {
    const query: Record<string, string> = { external_userid: externalUserId, ...(cursor ? { cursor } : {}) };
    return this.call('externalcontact/get', { query }, answers.externalContactAnswer);
  }

  /**
   * externalcontact/add_msg_template: creates a 1:1 send task that the employee `sender` must
   * confirm in the WeCom client. Nothing reaches the customers before that.
   */
  async addMsgTemplate(input: { sender: string; externalUserIds: string[]; text: string }, signal?: AbortSignal): Promise<{ msgid: string; failList: string[] }> {
    const body = { chat_type: 'single', sender: input.sender, external_userid: input.externalUserIds, text: { content: input.text } };
    const answer = await this.call('externalcontact/add_msg_template', { body }, answers.addMsgTemplateAnswer, signal);
    return { msgid: answer.msgid, failList: answer.fail_list };
  }

  /**
   * externalcontact/get_groupmsg_list_v2: one page of the 1:1 templates made through the API
   * (filter_type 0, 企业发表) between `from` and `to` (at most a month apart; seconds are enough).
   */
  listApiTemplates(input: { from: Date; to: Date; cursor?: string }): Promise<answers.GroupMsgListPage> {
    const body = { chat_type: 'single', start_time: Math.floor(input.from.getTime() / 1000), end_time: Math.ceil(input.to.getTime() / 1000), filter_type: 0, limit: 100, cursor: input.cursor };
    return this.call('externalcontact/get_groupmsg_list_v2', { body }, answers.groupMsgListAnswer);
  }

  /** externalcontact/get_groupmsg_send_result: what became of a template task, per customer. */
  getGroupMsgSendResult(input: { msgid: string; userId: string; cursor?: string; limit?: number }): Promise<answers.GroupMsgSendResult> {
    const body = { msgid: input.msgid, userid: input.userId, limit: input.limit ?? 1000, cursor: input.cursor };
    return this.call('externalcontact/get_groupmsg_send_result', { body }, answers.groupMsgSendResultAnswer);
  }

  /** externalcontact/list: the external_userids of the customers employee `userId` added (84061, "none", is an empty list). */
  async listExternalContacts(userId: string): Promise<string[]> {
    try {
      return (await this.call('externalcontact/list', { query: { userid: userId } }, answers.externalContactListAnswer)).external_userid;
    } catch (error) {
      if (error instanceof WecomApiError && error.errcode === NO_EXTERNAL_CONTACT) return [];
      throw error;
    }
  }

  /** externalcontact/get_unassigned_list: one page (≤ 1000) of the customers of employees who left. */
  listUnassigned(input: { cursor?: string; pageSize?: number } = {}): Promise<answers.UnassignedPage> {
    return this.call('externalcontact/get_unassigned_list', { body: { cursor: input.cursor ?? '', page_size: input.pageSize ?? 1000 } }, answers.unassignedListAnswer);
  }

  /**
   * externalcontact/transfer_customer (在职继承), or with `resigned` resigned/transfer_customer (离职继承):
   * at most 100 customers a call; a per-customer errcode 0 means the transfer started (the customer
   * is taken over after 24 h unless they refuse). `transferSuccessMsg` (≤ 200 characters) is for in-service transfers only.
   */
  async transferCustomers(input: { resigned: boolean; handoverUserId: string; takeoverUserId: string; externalUserIds: string[]; transferSuccessMsg?: string }): Promise<answers.TransferCustomerResult> {
    const method = input.resigned ? 'externalcontact/resigned/transfer_customer' : 'externalcontact/transfer_customer';
    const body = { handover_userid: input.handoverUserId, takeover_userid: input.takeoverUserId, external_userid: input.externalUserIds, ...(input.resigned ? {} : { transfer_success_msg: input.transferSuccessMsg }) };
    return (await this.call(method, { body }, answers.transferCustomerAnswer)).customer;
  }

  /** externalcontact/transfer_result, or with `resigned` resigned/transfer_result: one page of what became of the transfers from one employee to another. */
  transferResult(input: { resigned: boolean; handoverUserId: string; takeoverUserId: string; cursor?: string }): Promise<answers.TransferResultPage> {
    const method = input.resigned ? 'externalcontact/resigned/transfer_result' : 'externalcontact/transfer_result';
    return this.call(method, { body: { handover_userid: input.handoverUserId, takeover_userid: input.takeoverUserId, cursor: input.cursor ?? '' } }, answers.transferResultAnswer);
  }

  /** kf/add_contact_way: a 微信客服 link; `scene` ≤ 32 bytes of `[0-9A-Za-z_-]`. */
  async kfAddContactWay(input: { openKfId: string; scene?: string }): Promise<string> {
    return (await this.call('kf/add_contact_way', { body: { open_kfid: input.openKfId, scene: input.scene } }, answers.kfContactWayAnswer)).url;
  }

  /** kf/account/list: one page (limit 1–100) of customer-service accounts. */
  async kfListAccounts(input: { offset?: number; limit?: number } = {}): Promise<answers.KfAccount[]> {
    return (await this.call('kf/account/list', { body: { offset: input.offset ?? 0, limit: input.limit ?? 100 } }, answers.kfAccountListAnswer)).account_list;
  }

  /**
   * kf/sync_msg: the next page after `cursor` (persist `next_cursor`). `token` comes from the
   * kf_msg_or_event callback (valid 10 minutes); without it WeCom throttles hard.
   */
  kfSyncMsg(input: { openKfId: string; cursor?: string; token?: string; limit?: number }, signal?: AbortSignal): Promise<answers.KfSyncPage> {
    const body = { open_kfid: input.openKfId, cursor: input.cursor, token: input.token, limit: input.limit ?? 1000 };
    return this.call('kf/sync_msg', { body }, answers.kfSyncAnswer, signal);
  }

  /** kf/send_msg: text to a customer; at most 5 messages within 48 h of their last message. */
  async kfSendText(input: { openKfId: string; toUser: string; text: string; msgid?: string }, signal?: AbortSignal): Promise<string> {
    const body = { touser: input.toUser, open_kfid: input.openKfId, msgid: input.msgid, msgtype: 'text', text: { content: input.text } };
    return (await this.call('kf/send_msg', { body }, answers.kfSendAnswer, signal)).msgid;
  }

  /** kf/send_msg_on_event: the welcome for an enter_session event's welcome_code, once, within 20 s. */
  async kfSendTextOnEvent(input: { code: string; text: string; msgid?: string }, signal?: AbortSignal): Promise<string> {
    const body = { code: input.code, msgid: input.msgid, msgtype: 'text', text: { content: input.text } };
    return (await this.call('kf/send_msg_on_event', { body }, answers.kfSendAnswer, signal)).msgid;
  }

  /**
   * message/send: an app message to employees. WeCom drops (without an error) what exceeds
   * 30/minute or 1000/hour per employee. The duplicate check is on by default so an identical
   * resend after a lost answer is not delivered twice within `duplicateCheckIntervalS` (≤ 4 h).
   */
  async sendAppMessage(input: { agentId: number; toUsers: string[]; message: AppMessage; duplicateCheckIntervalS?: number }, signal?: AbortSignal): Promise<{ msgid: string; invalidUsers: string[] }> {
    const body = {
      touser: input.toUsers.join('|'),
      agentid: input.agentId,
      ...appMessageBody(input.message),
      enable_duplicate_check: 1,
      duplicate_check_interval: input.duplicateCheckIntervalS ?? 1800,
    };
    const answer = await this.call('message/send', { body }, answers.appMessageAnswer, signal);
    return { msgid: answer.msgid, invalidUsers: answer.invaliduser ? answer.invaliduser.split('|').filter(Boolean) : [] };
  }

  /** user/list_id: one page of (userid, department) pairs; an empty `next_cursor` ends the list. */
  listUserIds(input: { cursor?: string; limit?: number } = {}): Promise<answers.UserIdPage> {
    return this.call('user/list_id', { body: { cursor: input.cursor, limit: input.limit ?? 10000 } }, answers.userIdListAnswer);
  }

  /** user/get: one employee. */
  getUser(userId: string): Promise<answers.WecomUser> {
    return this.call('user/get', { query: { userid: userId } }, answers.userAnswer);
  }

  /** auth/getuserinfo: who an OAuth `code` (valid 5 minutes, usable once) belongs to. */
  async getOAuthIdentity(code: string): Promise<OAuthIdentity> {
    const answer = await this.call('auth/getuserinfo', { query: { code } }, answers.userInfoAnswer);
    if (answer.userid) return { kind: 'member', userId: answer.userid };
    return { kind: 'non-member', ...(answer.openid ? { openId: answer.openid } : {}), ...(answer.external_userid ? { externalUserId: answer.external_userid } : {}) };
  }

  async #fetchToken(): Promise<{ token: string; expiresInS: number }> {
    const url = new URL(`${this.#apiBase}/cgi-bin/gettoken`);
    url.searchParams.set('corpid', this.options.corpId);
    url.searchParams.set('corpsecret', this.options.secret);
    const answer = checked('gettoken', await wecomExchange(this.#http, 'gettoken', url, undefined), answers.tokenAnswer);
    return { token: answer.access_token, expiresInS: answer.expires_in };
  }

  async #callWith<S extends z.ZodType>(token: string, method: string, request: Request, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const url = new URL(`${this.#apiBase}/cgi-bin/${method}`);
    url.searchParams.set('access_token', token);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    return checked(method, await wecomExchange(this.#http, method, url, request.body, signal), schema);
  }
}

/** Throws the typed error for a non-zero errcode, or checks the answer's shape. */
function checked<S extends z.ZodType>(method: string, json: Record<string, unknown>, schema: S): z.infer<S> {
  const errcode = json.errcode ?? 0;
  if (typeof errcode !== 'number') throw new WecomUnexpectedAnswerError(method, 'errcode is not a number');
  if (errcode !== 0) throw wecomApiError(errcode, typeof json.errmsg === 'string' ? json.errmsg : '', method);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WecomUnexpectedAnswerError(method, issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'shape');
  }
  return parsed.data;
}

function appMessageBody(message: AppMessage): Record<string, unknown> {
  switch (message.kind) {
    case 'text': return { msgtype: 'text', text: { content: message.content } };
    case 'textcard': return { msgtype: 'textcard', textcard: { title: message.title, description: message.description, url: message.url, btntxt: message.buttonText ?? '详情' } };
    default: {
      const never: never = message;
      throw new Error(`unknown app message ${JSON.stringify(never)}`);
    }
  }
}
