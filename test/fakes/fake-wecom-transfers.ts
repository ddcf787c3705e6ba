// 客户继承 in the fake WeCom server: an employee's customers (externalcontact/list), the customers
// of employees who left (get_unassigned_list), handing them to a colleague (在职继承
// externalcontact/transfer_customer, 离职继承 externalcontact/resigned/transfer_customer) and what
// became of it (transfer_result, resigned/transfer_result, the transfer_fail callback). Rules from
// the documentation (path/92125, 94081, 94088, 94082, 92124, 92113 and the global errcodes):
// at most 100 customers a call, transfer_success_msg at most 200 characters, a resigned transfer
// only for an employee who left (40097), a customer already being transferred refused (40129), a
// customer of someone else refused (40131 / 40096), in-service transfers of one customer at most
// twice in 90 days (40128); an accepted transfer waits 24 h, in which the customer may refuse.
import { ERR, UNCONFIRMED, asString, asStrings, callbackXml, fail, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';
import type { FakeWecomContacts } from './fake-wecom-contacts.ts';

/** 1-接替完毕 2-等待接替 3-客户拒绝 4-接替成员客户达到上限. */
export type TransferStatus = 1 | 2 | 3 | 4;
export interface Transfer { handover: string; takeover: string; externalUserId: string; resigned: boolean; startedAt: number; takeoverAt: number; status: TransferStatus }

const DAY = 24 * 3_600_000;
const MAX_CUSTOMERS_PER_CALL = 100;
const MAX_SUCCESS_MSG_CHARS = 200;
const ONJOB_TRANSFERS_PER_90_DAYS = 2;
const UNASSIGNED_PAGE_MAX = 1000;

export class FakeWecomTransfers {
  /** Every transfer WeCom accepted (errcode 0 for the customer), in order. */
  readonly transfers: Transfer[] = [];
  /** The userids of employees who left, with when (dimission_time). */
  readonly #resigned = new Map<string, number>();

  constructor(private readonly ctx: FakeContext, private readonly contacts: FakeWecomContacts, private readonly isMember: (userId: string) => boolean) {}

  /** The employee leaves the corp: from now on their customers wait in get_unassigned_list (the server also drops them from the directory). */
  resign(userId: string): void {
    this.#resigned.set(userId, this.ctx.now());
  }

  /** Within the 24 h, the customer refuses (「暂不添加」) or the successor is full: the transfer fails and WeCom calls back with transfer_fail. */
  fail(externalUserId: string, reason: 'customer_refused' | 'customer_limit_exceed'): string {
    const transfer = this.#settled().find((t) => t.externalUserId === externalUserId && t.status === 2);
    if (!transfer) throw new Error(`no transfer of ${externalUserId} is waiting`);
    transfer.status = reason === 'customer_refused' ? 3 : 4;
    // A refused resigned transfer loses the customer; a refused in-service one leaves them with the employee.
    if (transfer.resigned) this.contacts.removeFollow(externalUserId, transfer.handover);
    return callbackXml({
      ToUserName: this.ctx.corpId, FromUserName: 'sys', CreateTime: Math.floor(this.ctx.now() / 1000), MsgType: 'event', Event: 'change_external_contact',
      ChangeType: 'transfer_fail', FailReason: reason, UserID: transfer.takeover, ExternalUserID: externalUserId,
    });
  }

  /** Answers a 客户继承 call, or null when the method is not one of them. */
  handle(method: string, body: Json, query: URLSearchParams): Answer | null {
    switch (method) {
      case 'externalcontact/list': return this.#list(query.get('userid') ?? '');
      case 'externalcontact/get_unassigned_list': return this.#unassigned(body);
      case 'externalcontact/transfer_customer': return this.#transfer(body, false);
      case 'externalcontact/resigned/transfer_customer': return this.#transfer(body, true);
      case 'externalcontact/transfer_result': return this.#result(body, false);
      case 'externalcontact/resigned/transfer_result': return this.#result(body, true);
      default: return null;
    }
  }

  /** The transfers, with those whose 24 h are over taken over (the customer now follows the successor). */
  #settled(): Transfer[] {
    const now = this.ctx.now();
    for (const t of this.transfers) {
      if (t.status !== 2 || now < t.takeoverAt) continue;
      t.status = 1;
      this.contacts.removeFollow(t.externalUserId, t.handover);
      this.contacts.addFollow(t.externalUserId, t.takeover);
    }
    return this.transfers;
  }

  #list(userId: string): Answer {
    this.#settled();
    if (!this.isMember(userId)) return fail(ERR.userNotFound, 'userid not found');
    const ids = this.contacts.customersOf(userId);
    // 获取客户列表 answers 84061 when the employee has no customers.
    return ids.length === 0 ? fail(ERR.notExternalContact, 'not external contact') : ok({ external_userid: ids });
  }

  #unassigned(body: Json): Answer {
    this.#settled();
    const pageSize = Number(body.page_size ?? UNASSIGNED_PAGE_MAX);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > UNASSIGNED_PAGE_MAX) return fail(ERR.invalidParameter, 'page_size must be 1..1000');
    const waiting = new Set(this.transfers.filter((t) => t.resigned && t.status !== 3 && t.status !== 4).map((t) => `${t.handover}|${t.externalUserId}`));
    const info = [...this.#resigned].flatMap(([handover, at]) => this.contacts.customersOf(handover)
      .filter((id) => !waiting.has(`${handover}|${id}`))
      .map((external_userid) => ({ handover_userid: handover, external_userid, dimission_time: Math.floor(at / 1000) })));
    const cursor = asString(body.cursor);
    const start = cursor ? Number(/^n(\d+)$/.exec(cursor)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(start)) return fail(ERR.invalidParameter, 'invalid cursor');
    const next = start + pageSize;
    const isLast = next >= info.length;
    return ok({ info: info.slice(start, next), is_last: isLast, next_cursor: isLast ? '' : `n${next}` });
  }

  #transfer(body: Json, resigned: boolean): Answer {
    const method = resigned ? 'resigned/transfer_customer' : 'transfer_customer';
    const handover = asString(body.handover_userid);
    const takeover = asString(body.takeover_userid);
    const ids = asStrings(body.external_userid);
    if (!handover || !takeover || ids.length === 0) return fail(ERR.invalidParameter, 'handover_userid, takeover_userid and external_userid are required');
    if (ids.length > MAX_CUSTOMERS_PER_CALL) {
      this.ctx.violation(`${method}: ${ids.length} customers in one call (at most ${MAX_CUSTOMERS_PER_CALL})`);
      return fail(UNCONFIRMED, 'too many external_userid');
    }
    const message = body.transfer_success_msg === undefined ? '' : asString(body.transfer_success_msg);
    if ([...message].length > MAX_SUCCESS_MSG_CHARS) {
      this.ctx.violation(`${method}: transfer_success_msg of ${[...message].length} characters (at most ${MAX_SUCCESS_MSG_CHARS})`);
      return fail(UNCONFIRMED, 'transfer_success_msg too long');
    }
    if (resigned && !this.#resigned.has(handover)) return fail(ERR.memberNotResigned, 'handover_userid has not resigned');
    if (!resigned && this.#resigned.has(handover)) {
      this.ctx.violation(`${method}: ${handover} has left the corp (use resigned/transfer_customer)`);
      return fail(UNCONFIRMED, 'handover_userid has resigned');
    }
    if (!this.isMember(takeover)) return fail(ERR.userNotFound, 'takeover_userid not found');
    this.#settled();
    return ok({ customer: ids.map((external_userid) => ({ external_userid, errcode: this.#start(handover, takeover, external_userid, resigned) })) });
  }

  /** Starts one customer's transfer; returns its errcode (0: started, taken over in 24 h unless refused). */
  #start(handover: string, takeover: string, externalUserId: string, resigned: boolean): number {
    if (!this.contacts.exists(externalUserId)) return ERR.invalidExternalUserId;
    if (handover === takeover) return ERR.sameHandoverAndTakeover;
    if (!this.contacts.customersOf(handover).includes(externalUserId)) return ERR.notHandoverCustomer;
    if (this.transfers.some((t) => t.externalUserId === externalUserId && t.status === 2)) return ERR.transferInProgress;
    const now = this.ctx.now();
    if (!resigned && this.transfers.filter((t) => !t.resigned && t.externalUserId === externalUserId && now - t.startedAt < 90 * DAY).length >= ONJOB_TRANSFERS_PER_90_DAYS) return ERR.transferTooFrequent;
    this.transfers.push({ handover, takeover, externalUserId, resigned, startedAt: now, takeoverAt: now + DAY, status: 2 });
    return 0;
  }

  #result(body: Json, resigned: boolean): Answer {
    const handover = asString(body.handover_userid);
    const takeover = asString(body.takeover_userid);
    if (!handover || !takeover) return fail(ERR.invalidParameter, 'handover_userid and takeover_userid are required');
    const customer = this.#settled()
      .filter((t) => t.resigned === resigned && t.handover === handover && t.takeover === takeover)
      .map((t) => ({ external_userid: t.externalUserId, status: t.status, takeover_time: t.status === 3 ? 0 : Math.floor(t.takeoverAt / 1000) }));
    return ok({ customer, next_cursor: '' });
  }
}
