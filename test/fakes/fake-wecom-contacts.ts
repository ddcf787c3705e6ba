// 客户联系 (externalcontact/*) in the fake WeCom server: 「联系我」 QR codes, customers adding
// employees with a WelcomeCode (20 s, once), customer detail and transfers. Message templates
// (企业群发) are in fake-wecom-templates.ts, which asks this area who follows whom.
import { ERR, UNCONFIRMED, asString, asStrings, callbackXml, fail, idMaker, ok, type Answer, type FakeContext, type Json } from './fake-wecom-common.ts';
import type { ContactRelations } from './fake-wecom-templates.ts';

export interface ContactWay { configId: string; users: string[]; state?: string; qrCode: string }
export interface Welcome { welcomeCode: string; userId: string; externalUserId: string; text: string; at: number }

/** send_welcome_msg must come within 20 s of the add event (发送新客户欢迎语). */
const WELCOME_WINDOW_MS = 20_000;

export class FakeWecomContacts implements ContactRelations {
  readonly contactWays: ContactWay[] = [];
  readonly welcomes: Welcome[] = [];
  readonly transfers: { handover: string; takeover: string; externalUserId: string; resigned: boolean }[] = [];
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

  customersOf(userId: string): string[] {
    return [...this.#customers].filter(([, customer]) => customer.follows.has(userId)).map(([id]) => id);
  }

  /** Answers an externalcontact/* call, or null when the method is not one of them. */
  handle(method: string, body: Json, query: URLSearchParams): Answer | null {
    switch (method) {
      case 'externalcontact/add_contact_way': return this.#addContactWay(body);
      case 'externalcontact/send_welcome_msg': return this.#sendWelcome(body);
      case 'externalcontact/get': return this.#get(query.get('external_userid') ?? '');
      case 'externalcontact/transfer_customer': return this.#transfer(body, false);
      case 'externalcontact/resigned/transfer_customer': return this.#transfer(body, true);
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
    const way: ContactWay = { configId: this.#configId(), users, ...(state ? { state } : {}), qrCode: '' };
    way.qrCode = `https://wework.qpic.cn/wwpic/fake/${way.configId}/0`;
    this.contactWays.push(way);
    return ok({ config_id: way.configId, ...(body.scene === 2 ? { qr_code: way.qrCode } : {}) });
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

  #transfer(body: Json, resigned: boolean): Answer {
    const handover = asString(body.handover_userid);
    const takeover = asString(body.takeover_userid);
    const ids = asStrings(body.external_userid);
    if (!handover || !takeover || ids.length === 0 || ids.length > 100) return fail(ERR.invalidParameter, 'invalid transfer');
    const customer = ids.map((external_userid) => {
      if (!this.#customers.get(external_userid)?.follows.has(handover)) return { external_userid, errcode: ERR.invalidExternalUserId };
      this.transfers.push({ handover, takeover, externalUserId: external_userid, resigned });
      return { external_userid, errcode: 0 };
    });
    return ok({ customer });
  }
}
