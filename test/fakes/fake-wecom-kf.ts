// 微信客服 (kf/*) in the fake WeCom server: accounts and links, the message log read with
// kf/sync_msg (cursor paging, callback tokens valid 10 minutes, the last 3 days only), and the
// send rules: at most 5 messages within 48 h of the customer's last message (kf/send_msg), one
// welcome per enter_session welcome_code within 20 s (kf/send_msg_on_event).
import { ERR, UNCONFIRMED, asString, callbackXml, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';

export interface KfSent { openKfId: string; toUser: string; text: string; msgid: string; at: number; onEvent: boolean; /** A msgmenu's click items. */ menu?: { id: string; content: string }[] }

const HOUR = 3_600_000;
const WINDOW_MS = 48 * HOUR;
const MESSAGES_PER_WINDOW = 5;
const WELCOME_WINDOW_MS = 20_000;
const TOKEN_TTL_MS = 10 * 60_000;
const HISTORY_MS = 72 * HOUR;
const SCENE = /^[0-9A-Za-z_-]{0,32}$/;

export class FakeWecomKf {
  readonly accounts: { open_kfid: string; name: string }[] = [];
  readonly links: { openKfId: string; scene: string; url: string }[] = [];
  readonly sent: KfSent[] = [];
  /** Everything kf/sync_msg can return, oldest first. */
  readonly log: Json[] = [];
  readonly #windows = new Map<string, { lastCustomerAt: number; sentSince: number }>();
  readonly #tokens = new Map<string, number>();
  readonly #welcomeCodes = new Map<string, { issuedAt: number; openKfId: string; externalUserId: string; used: boolean }>();
  readonly #msgid = idMaker('kfmsg');
  readonly #token = idMaker('ENCkftoken');
  readonly #code = idMaker('kfwelcome');
  /** kf/sync_msg calls made without a callback token (WeCom throttles those hard). */
  syncsWithoutToken = 0;

  constructor(private readonly ctx: FakeContext) {}

  addAccount(openKfId: string, name: string): void {
    this.accounts.push({ open_kfid: openKfId, name });
  }

  /** A customer writes to a kf account: logged for sync_msg, and their 48 h / 5 message window opens anew. */
  customerSays(openKfId: string, externalUserId: string, text: string): { token: string; xml: string } {
    const now = this.ctx.now();
    this.log.push({ msgid: this.#msgid(), open_kfid: openKfId, external_userid: externalUserId, send_time: Math.floor(now / 1000), origin: 3, msgtype: 'text', text: { content: text } });
    this.#windows.set(`${openKfId}|${externalUserId}`, { lastCustomerAt: now, sentSince: 0 });
    return this.#callback(openKfId);
  }

  /** A customer clicks an item of a menu message: it arrives as their text, with the item's id as `menu_id`. */
  customerClicks(openKfId: string, externalUserId: string, menuId: string, content: string): { token: string; xml: string } {
    const now = this.ctx.now();
    this.log.push({ msgid: this.#msgid(), open_kfid: openKfId, external_userid: externalUserId, send_time: Math.floor(now / 1000), origin: 3, msgtype: 'text', text: { content, menu_id: menuId } });
    this.#windows.set(`${openKfId}|${externalUserId}`, { lastCustomerAt: now, sentSince: 0 });
    return this.#callback(openKfId);
  }

  /** A customer opens the kf link: an enter_session event with a welcome_code. */
  customerEnters(openKfId: string, externalUserId: string, scene = '', sceneParam = ''): { welcomeCode: string; token: string; xml: string } {
    const now = this.ctx.now();
    const welcomeCode = this.#code();
    this.#welcomeCodes.set(welcomeCode, { issuedAt: now, openKfId, externalUserId, used: false });
    const event = { event_type: 'enter_session', open_kfid: openKfId, external_userid: externalUserId, scene, scene_param: sceneParam, welcome_code: welcomeCode };
    this.log.push({ msgid: this.#msgid(), send_time: Math.floor(now / 1000), origin: 4, msgtype: 'event', event });
    return { welcomeCode, ...this.#callback(openKfId) };
  }

  handle(method: string, body: Json): Answer | null {
    switch (method) {
      case 'kf/account/list': {
        const offset = Number(body.offset ?? 0);
        const limit = Number(body.limit ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(ERR.invalidParameter, 'limit must be 1..100');
        return ok({ account_list: this.accounts.slice(offset, offset + limit).map((a) => ({ ...a, avatar: 'https://wework.qpic.cn/wwhead/fake/0', manage_privilege: true })) });
      }
      case 'kf/add_contact_way': return this.#addContactWay(body);
      case 'kf/sync_msg': return this.#sync(body);
      case 'kf/send_msg': return this.#send(body);
      case 'kf/send_msg_on_event': return this.#sendOnEvent(body);
      default: return null;
    }
  }

  #callback(openKfId: string): { token: string; xml: string } {
    const token = this.#token();
    this.#tokens.set(token, this.ctx.now());
    const xml = callbackXml({ ToUserName: this.ctx.corpId, CreateTime: Math.floor(this.ctx.now() / 1000), MsgType: 'event', Event: 'kf_msg_or_event', Token: token, OpenKfId: openKfId });
    return { token, xml };
  }

  #addContactWay(body: Json): Answer {
    const openKfId = asString(body.open_kfid);
    if (!this.accounts.some((a) => a.open_kfid === openKfId)) return fail(ERR.invalidParameter, 'invalid open_kfid');
    const scene = asString(body.scene);
    if (Buffer.byteLength(scene) > 32 || !SCENE.test(scene)) {
      this.ctx.violation(`kf/add_contact_way: scene ${JSON.stringify(scene)} is not ≤ 32 bytes of [0-9A-Za-z_-]`);
      return fail(UNCONFIRMED, 'invalid scene');
    }
    const url = `https://work.weixin.qq.com/kf/${openKfId}${scene ? `?enc_scene=ENC${Buffer.from(scene).toString('hex')}` : ''}`;
    this.links.push({ openKfId, scene, url });
    return ok({ url });
  }

  #sync(body: Json): Answer {
    const now = this.ctx.now();
    const openKfId = asString(body.open_kfid);
    const token = asString(body.token);
    if (!token) this.syncsWithoutToken += 1;
    else {
      const issued = this.#tokens.get(token);
      if (issued === undefined || now - issued > TOKEN_TTL_MS) {
        this.ctx.violation(`kf/sync_msg: token ${issued === undefined ? 'unknown' : 'older than 10 minutes'}`);
        return fail(UNCONFIRMED, 'invalid msg token');
      }
    }
    const cursor = asString(body.cursor);
    const start = cursor ? Number(/^cur(\d+)$/.exec(cursor)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(start)) return fail(UNCONFIRMED, 'invalid cursor');
    const limit = Math.min(1000, Math.max(1, Number(body.limit ?? 1000) || 1000));
    const mine = this.log.filter((m) => (m.open_kfid ?? (m.event as Json | undefined)?.open_kfid) === openKfId);
    const page = mine.slice(start, start + limit);
    const fresh = page.filter((m) => now - Number(m.send_time) * 1000 <= HISTORY_MS);
    const next = start + page.length;
    return ok({ next_cursor: `cur${next}`, has_more: next < mine.length ? 1 : 0, msg_list: fresh });
  }

  #send(body: Json): Answer {
    const openKfId = asString(body.open_kfid);
    const toUser = asString(body.touser);
    const window = this.#windows.get(`${openKfId}|${toUser}`);
    const now = this.ctx.now();
    if (!window || now - window.lastCustomerAt > WINDOW_MS) {
      this.ctx.violation(`kf/send_msg to ${toUser}: more than 48 h after the customer's last message`);
      return fail(ERR.kfMessageTimeLimit, 'send msg out of time limit');
    }
    if (window.sentSince >= MESSAGES_PER_WINDOW) {
      this.ctx.violation(`kf/send_msg to ${toUser}: a 6th message since the customer's last message`);
      return fail(ERR.kfMessageCountLimit, 'send msg count out of limit');
    }
    window.sentSince += 1;
    return this.#record(openKfId, toUser, body, false);
  }

  #sendOnEvent(body: Json): Answer {
    const code = asString(body.code);
    const issued = this.#welcomeCodes.get(code);
    const age = issued ? this.ctx.now() - issued.issuedAt : 0;
    if (!issued || issued.used || age > WELCOME_WINDOW_MS) {
      this.ctx.violation(`kf/send_msg_on_event: welcome code ${code} ${!issued ? 'unknown' : issued.used ? 'used twice' : `used ${age} ms after the event (at most 20 s)`}`);
      return fail(UNCONFIRMED, 'invalid code');
    }
    issued.used = true;
    return this.#record(issued.openKfId, issued.externalUserId, body, true);
  }

  #record(openKfId: string, toUser: string, body: Json, onEvent: boolean): Answer {
    const msgid = asString(body.msgid) || this.#msgid();
    if (this.sent.some((m) => m.openKfId === openKfId && m.msgid === msgid)) return fail(UNCONFIRMED, 'duplicate msgid');
    const menu = body.msgtype === 'msgmenu' ? readMenu(body.msgmenu as Json | undefined) : undefined;
    if (typeof menu === 'string') {
      this.ctx.violation(`kf ${onEvent ? 'send_msg_on_event' : 'send_msg'}: ${menu}`);
      return fail(UNCONFIRMED, 'invalid msgmenu');
    }
    const text = menu ? asString((body.msgmenu as Json).head_content) : asString((body.text as Json | undefined)?.content);
    if (Buffer.byteLength(text) > 2048) this.ctx.violation('kf: text over 2048 bytes');
    this.sent.push({ openKfId, toUser, text, msgid, at: this.ctx.now(), onEvent, ...(menu ? { menu } : {}) });
    return ok({ msgid });
  }
}

/** A msgmenu's click items, or what is wrong with it (head/tail ≤ 1024 bytes, ≤ 10 items, id 1–64 bytes, content 1–128 bytes). */
function readMenu(menu: Json | undefined): { id: string; content: string }[] | string {
  if (!menu) return 'msgmenu missing';
  if (Buffer.byteLength(asString(menu.head_content)) > 1024 || Buffer.byteLength(asString(menu.tail_content)) > 1024) return 'head or tail over 1024 bytes';
  const list = Array.isArray(menu.list) ? (menu.list as Json[]) : [];
  if (list.length > 10) return 'more than 10 menu items';
  const items = list.map((item) => ({ type: asString(item.type), id: asString((item.click as Json | undefined)?.id), content: asString((item.click as Json | undefined)?.content) }));
  const bad = items.find((i) => i.type !== 'click' || i.id.length === 0 || Buffer.byteLength(i.id) > 64 || i.content.length === 0 || Buffer.byteLength(i.content) > 128);
  return bad ? `bad menu item ${JSON.stringify(bad)}` : items.map(({ id, content }) => ({ id, content }));
}
