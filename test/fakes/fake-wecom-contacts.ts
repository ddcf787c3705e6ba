// 客户联系 (externalcontact/*) in the fake WeCom server: 「联系我」 QR codes, customers adding
// employees with a WelcomeCode (20 s, once) and customer detail. Who follows whom is kept here:
// message templates (企业群发, fake-wecom-templates.ts) ask it, and 客户继承 (fake-wecom-transfers.ts)
// moves those relations.
import { ERR, UNCONFIRMED, asString, asStrings, callbackXml, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';
import type { ContactRelations } from './fake-wecom-templates.ts';

export interface ContactWay { configId: string; single: boolean; users: string[]; state?: string; qrCode: string }
export interface Welcome { welcomeCode: string; userId: string; externalUserId: string; text: string; at: number }

/** send_welcome_msg must come within 20 s of the add event (发送新客户欢迎语). */
const WELCOME_WINDOW_MS = 20_000;

export class FakeWecomContacts implements ContactRelations {
  readonly contactWays: ContactWay[] = [];
  readonly welcomes: Welcome[] = [];
  readonly #customers = new Map<string, { name: string; follows: Map<string, { createdAt: number; state?: string }> }>();
  readonly #welcomeCodes = new Map<string, { issuedAt: number; userId: string; externalUserId: string; used: boolean }>();
  readonly #configId = idMaker('cfg');
  readonly #welcomeCode = idMaker('WELCOMECODE');

  constructor(private readonly ctx: FakeContext) {}

  /**
   * A customer adds employee `userId` (by scanning a contact way with `state`): the relation
   * exists from now on and a WelcomeCode is issued. Returns the callback XML WeCom would send.
   */
  customerAdds(input: { userId: string; externalUserId: string; name?: string; state?: string; welcomeCode?: boolean }): { welcomeCode?: string; xml: string } {
    const now = this.ctx.now();
    const customer = this.#customers.get(input.externalUserId) ?? { name: input.name ?? '客户', follows: new Map() };
    customer.follows.set(input.userId, { createdAt: now, ...(input.state ? { state: input.state } : {}) });
    this.#customers.set(input.externalUserId, customer);
    const welcomeCode = input.welcomeCode === false ? undefined : this.#welcomeCode();
    if (welcomeCode) this.#welcomeCodes.set(welcomeCode, { issuedAt: now, userId: input.userId, externalUserId: input.externalUserId, used: false });
    const xml = callbackXml({
      ToUserName: this.ctx.corpId, FromUserName: 'sys', CreateTime: Math.floor(now / 1000), MsgType: 'event', Event: 'change_external_contact',
      ChangeType: 'add_external_contact', UserID: input.userId, ExternalUserID: input.externalUserId, State: input.state, WelcomeCode: welcomeCode,
    });
    return { ...(welcomeCode ? { welcomeCode } : {}), xml };
  }

  /** The customer deletes employee `userId` (del_follow_user): the relation ends. Returns the callback XML WeCom would send. */
  customerDeletes(input: { userId: string; externalUserId: string }): string {
    this.#customers.get(input.externalUserId)?.follows.delete(input.userId);
    return callbackXml({
      ToUserName: this.ctx.corpId, FromUserName: 'sys', CreateTime: Math.floor(this.ctx.now() / 1000), MsgType: 'event', Event: 'change_external_contact',
      ChangeType: 'del_follow_user', UserID: input.userId, ExternalUserID: input.externalUserId,
    });
  }

  follows(externalUserId: string, userId: string): boolean {
    return this.#customers.get(externalUserId)?.follows.has(userId) ?? false;
  }

  /** Whether WeCom knows this customer (someone added an employee once). */
  exists(externalUserId: string): boolean {
    return this.#customers.has(externalUserId);
  }

  /** The customers who currently follow employee `userId`, in the order they added them. */
  customersOf(userId: string): string[] {
    return [...this.#customers].filter(([, c]) => c.follows.has(userId)).map(([id]) => id);
  }

  /** A transfer completed: the customer now follows `userId` too. */
  addFollow(externalUserId: string, userId: string): void {
    this.#customers.get(externalUserId)?.follows.set(userId, { createdAt: this.ctx.now() });
  }

  /** The relation between the customer and employee `userId` ended (taken over, or lost). */
  removeFollow(externalUserId: string, userId: string): void {
    this.#customers.get(externalUserId)?.follows.delete(userId);
  }

  /** Answers an externalcontact/* call, or null when the method is not one of them. */
  handle(method: string, body: Json, query: URLSearchParams): Answer | null {
    switch (method) {
      case 'externalcontact/add_contact_way': return this.#addContactWay(body);
      case 'externalcontact/update_contact_way': return this.#updateContactWay(body);
      case 'externalcontact/send_welcome_msg': return this.#sendWelcome(body);
      case 'externalcontact/get': return this.#get(query.get('external_userid') ?? '');
      default: return null;
    }
  }

  #addContactWay(body: Json): Answer {
    const users = asStrings(body.user);
    const state = body.state === undefined ? undefined : asString(body.state);
    if (state !== undefined && [...state].length > 30) {
      this.ctx.violation(`add_contact_way: state of ${[...state].length} characters (at most 30)`);
      return fail(UNCONFIRMED, 'invalid state');
    }
    if (users.length === 0 || (body.type === 1 && users.length !== 1)) return fail(ERR.invalidParameter, 'invalid user list');
    const way: ContactWay = { configId: this.#configId(), single: body.type === 1, users, ...(state ? { state } : {}), qrCode: '' };
    way.qrCode = `https://wework.qpic.cn/wwpic/fake/${way.configId}/0`;
    this.contactWays.push(way);
    return ok({ config_id: way.configId, ...(body.scene === 2 ? { qr_code: way.qrCode } : {}) });
  }

  /** update_contact_way: the same code (its type, its QR image) adding other employees; a 单人 code exactly one. */
  #updateContactWay(body: Json): Answer {
    const way = this.contactWays.find((w) => w.configId === asString(body.config_id));
    if (!way) return fail(ERR.invalidParameter, 'invalid config_id');
    if (body.user === undefined) return ok();
    const users = asStrings(body.user);
    if (users.length === 0 || (way.single && users.length !== 1)) {
      this.ctx.violation(`update_contact_way: ${users.length} users for a ${way.single ? 'single' : 'multi'}-employee code`);
      return fail(ERR.invalidParameter, 'invalid user list');
    }
    way.users = users;
    return ok();
  }

  #sendWelcome(body: Json): Answer {
    const code = asString(body.welcome_code);
    const issued = this.#welcomeCodes.get(code);
    if (!issued) {
      this.ctx.violation(`send_welcome_msg: unknown welcome_code ${code}`);
      return fail(UNCONFIRMED, 'invalid welcome_code');
    }
    if (issued.used) {
      this.ctx.violation(`send_welcome_msg: welcome_code ${code} used twice`);
      return fail(ERR.welcomeAlreadySent, 'externaluser has started chatting');
    }
    const age = this.ctx.now() - issued.issuedAt;
    if (age > WELCOME_WINDOW_MS) {
      this.ctx.violation(`send_welcome_msg: ${age} ms after the add event (at most 20 s)`);
      return fail(UNCONFIRMED, 'welcome_code expired');
    }
    issued.used = true;
    const text = asString((body.text as Json | undefined)?.content);
    this.welcomes.push({ welcomeCode: code, userId: issued.userId, externalUserId: issued.externalUserId, text, at: this.ctx.now() });
    return ok();
  }

  #get(externalUserId: string): Answer {
    const customer = this.#customers.get(externalUserId);
    if (!customer) return fail(externalUserId.startsWith('wm') ? ERR.notExternalContact : ERR.invalidExternalUserId, 'not external contact');
    const follow_user = [...customer.follows].map(([userid, f]) => ({ userid, remark: '', description: '', createtime: Math.floor(f.createdAt / 1000), tags: [], remark_mobiles: [], add_way: 1, oper_userid: userid, ...(f.state ? { state: f.state } : {}) }));
    return ok({ external_contact: { external_userid: externalUserId, name: customer.name, type: 1, gender: 0 }, follow_user, next_cursor: '' });
  }

}
