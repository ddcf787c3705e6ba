// 企业群发 (message templates) in the fake WeCom server: externalcontact/add_msg_template creates a
// task that the employee must confirm in the WeCom client (nothing reaches a customer before);
// get_groupmsg_list_v2 lists the templates made in a time range; get_groupmsg_send_result says,
// per customer, whether it went out. Rules from 创建企业群发 and 获取群发记录列表 / 获取企业群发成员执行结果
// (path/92135, 93338): text.content at most 4000 bytes; external_userid at most 10,000 and, when
// left out, the task goes to EVERY customer of `sender`; a customer receives at most 4 a natural
// month (later ones fail with status 3); list_v2 needs start_time and end_time at most a month
// apart and pages 1–100 (default 50); send_result pages at most 1000 (more: the default 500).
import { ERR, UNCONFIRMED, asString, asStrings, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';

/** One template task and what became of it per customer (0 未发送, 1 已发送, 2 not a contact, 3 over the month's 4). */
export interface TemplateTask { msgid: string; sender: string; externalUserIds: string[]; text: string; createdAt: number; results: Map<string, { status: 0 | 1 | 2 | 3; sendTime?: number }> }

/** Who follows whom: the contacts area of the fake answers. */
export interface ContactRelations {
  follows(externalUserId: string, userId: string): boolean;
  customersOf(userId: string): string[];
}

const MAX_TEXT_BYTES = 4000;
const MAX_CUSTOMERS = 10_000;
/** 同一个企业每个自然月内仅可针对一个客户/客户群发送4条消息. */
const TEMPLATES_PER_CUSTOMER_MONTH = 4;
/** list_v2: 起止时间间隔不能超过1个月 (taken as 31 days). */
const LIST_SPAN_S = 31 * 24 * 3600;

export class FakeWecomTemplates {
  readonly tasks = new Map<string, TemplateTask>();
  readonly #receivedPerMonth = new Map<string, number>();
  readonly #msgid = idMaker('msgTASK');

  constructor(private readonly ctx: FakeContext, private readonly relations: ContactRelations) {}

  /** Templates whose customers include `externalUserId`, oldest first. */
  forCustomer(externalUserId: string): TemplateTask[] {
    return [...this.tasks.values()].filter((task) => task.externalUserIds.includes(externalUserId));
  }

  /** The employee confirms a template task in the WeCom client: it goes out to whom it may. */
  confirm(msgid: string): void {
    const task = this.tasks.get(msgid);
    if (!task) throw new Error(`no template task ${msgid}`);
    const now = this.ctx.now();
    const month = new Date(now + 8 * 3_600_000).toISOString().slice(0, 7); // natural month in Asia/Shanghai
    for (const externalUserId of task.externalUserIds) {
      if (!this.relations.follows(externalUserId, task.sender)) {
        task.results.set(externalUserId, { status: 2 });
        continue;
      }
      const key = `${externalUserId}|${month}`;
      const received = this.#receivedPerMonth.get(key) ?? 0;
      if (received >= TEMPLATES_PER_CUSTOMER_MONTH) {
        task.results.set(externalUserId, { status: 3 });
        continue;
      }
      this.#receivedPerMonth.set(key, received + 1);
      task.results.set(externalUserId, { status: 1, sendTime: Math.floor(now / 1000) });
    }
  }

  /** Answers a template call, or null when the method is not one of them. */
  handle(method: string, body: Json): Answer | null {
    switch (method) {
      case 'externalcontact/add_msg_template': return this.#add(body);
      case 'externalcontact/get_groupmsg_list_v2': return this.#list(body);
      case 'externalcontact/get_groupmsg_send_result': return this.#sendResult(body);
      default: return null;
    }
  }

  #add(body: Json): Answer {
    const chatType = body.chat_type === undefined ? 'single' : asString(body.chat_type);
    if (chatType !== 'single') return fail(ERR.invalidParameter, `chat_type ${chatType} is not supported by the fake`);
    const sender = asString(body.sender);
    const listed = asStrings(body.external_userid);
    const text = asString((body.text as Json | undefined)?.content);
    if (!sender && listed.length === 0) return fail(ERR.invalidParameter, 'external_userid and sender cannot both be empty');
    if (!sender) {
      this.ctx.violation('add_msg_template without sender: every employee who follows the customers gets the task');
      return fail(UNCONFIRMED, 'sender required by the fake');
    }
    if (listed.length > MAX_CUSTOMERS) {
      this.ctx.violation(`add_msg_template: ${listed.length} customers (at most ${MAX_CUSTOMERS})`);
      return fail(UNCONFIRMED, 'too many external_userid');
    }
    if (Buffer.byteLength(text) > MAX_TEXT_BYTES || !text) {
      if (text) this.ctx.violation(`add_msg_template: text of ${Buffer.byteLength(text)} bytes (at most ${MAX_TEXT_BYTES})`);
      return fail(UNCONFIRMED, 'invalid text content');
    }
    // 当只提供sender参数时，相当于选取了这个成员所有的客户: a real mass send, never what a 1:1 task wants.
    if (listed.length === 0) this.ctx.violation(`add_msg_template without external_userid: addressed every customer of ${sender}`);
    const candidates = listed.length > 0 ? listed : this.relations.customersOf(sender);
    const known = candidates.filter((id) => this.relations.follows(id, sender));
    const task: TemplateTask = { msgid: this.#msgid(), sender, externalUserIds: known, text, createdAt: this.ctx.now(), results: new Map(known.map((id) => [id, { status: 0 }])) };
    this.tasks.set(task.msgid, task);
    return ok({ msgid: task.msgid, fail_list: candidates.filter((id) => !known.includes(id)) });
  }

  #list(body: Json): Answer {
    const start = Number(body.start_time);
    const end = Number(body.end_time);
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) return fail(ERR.invalidParameter, 'start_time and end_time are required');
    if (end - start > LIST_SPAN_S) {
      this.ctx.violation(`get_groupmsg_list_v2: ${end - start} s between start_time and end_time (at most a month)`);
      return fail(UNCONFIRMED, 'time span too long');
    }
    const limit = body.limit === undefined ? 50 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(ERR.invalidParameter, 'limit must be 1..100');
    // filter_type 0 企业发表 (what the API makes), 1 个人发表, 2 所有 (default).
    const filterType = body.filter_type === undefined ? 2 : Number(body.filter_type);
    const inRange = filterType === 1 ? [] : [...this.tasks.values()].filter((t) => t.createdAt >= start * 1000 && t.createdAt <= end * 1000 + 999);
    const offset = pageOffset(asString(body.cursor), 'g');
    if (offset === null) return fail(ERR.invalidParameter, 'invalid cursor');
    const page = inRange.slice(offset, offset + limit);
    return ok({
      next_cursor: offset + limit < inRange.length ? `g${offset + limit}` : '',
      group_msg_list: page.map((t) => ({ msgid: t.msgid, creator: t.sender, create_type: 0, create_time: String(Math.floor(t.createdAt / 1000)), text: { content: t.text } })),
    });
  }

  #sendResult(body: Json): Answer {
    const task = this.tasks.get(asString(body.msgid));
    if (!task) return fail(ERR.invalidParameter, 'invalid msgid');
    const userid = asString(body.userid);
    if (!userid) return fail(ERR.invalidParameter, 'userid is required');
    const asked = body.limit === undefined ? 500 : Number(body.limit);
    const limit = Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : 500; // 超过最大值时取默认值
    const offset = pageOffset(asString(body.cursor), 'r');
    if (offset === null) return fail(ERR.invalidParameter, 'invalid cursor');
    const all = userid !== task.sender ? [] : [...task.results].map(([external_userid, r]) => ({ external_userid, userid, status: r.status, ...(r.sendTime ? { send_time: r.sendTime } : {}) }));
    return ok({ next_cursor: offset + limit < all.length ? `r${offset + limit}` : '', send_list: all.slice(offset, offset + limit) });
  }
}

/** The offset a cursor of this fake stands for (`<prefix><n>`, empty = 0); null for one it did not issue. */
function pageOffset(cursor: string, prefix: string): number | null {
  if (!cursor) return 0;
  const match = new RegExp(`^${prefix}(\\d+)$`).exec(cursor);
  return match ? Number(match[1]) : null;
}
