// The fake WeCom server enforces what the real one documents; the WeCom tests rely on it, so it is
// tested on its own against raw HTTP calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWecomServer } from './fake-wecom-server.ts';

const CORP = 'ww1234567890abcdef';
const SECRET = 'app-secret-for-tests-only';
let now = 0;
let fake: FakeWecomServer;
let root: string;

type WecomAnswer = { errcode: number; errmsg: string; [key: string]: unknown };

beforeEach(async () => {
  now = Date.UTC(2024, 4, 6, 2, 0, 0);
  fake = new FakeWecomServer({ corpId: CORP, secrets: [SECRET], now: () => now });
  root = await fake.start();
  fake.app.setDirectory([{ userid: 'zhangsan', name: '张三', department: [1, 2] }, { userid: 'lisi', name: '李四', department: [2] }]);
});
afterEach(async () => {
  await fake.close();
});

async function token(): Promise<string> {
  const answer = (await (await fetch(`${root}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).json()) as WecomAnswer;
  return String(answer.access_token);
}

async function call(method: string, body?: object, query: Record<string, string> = {}, accessToken?: string): Promise<WecomAnswer> {
  const url = new URL(`${root}/cgi-bin/${method}`);
  url.searchParams.set('access_token', accessToken ?? (await token()));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, body ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {});
  return (await response.json()) as WecomAnswer;
}

describe('fake WeCom server: access tokens', () => {
  it('refuses a wrong corp id or secret, gives the same token while it is valid, expires it after 7200 s', async () => {
    expect(await (await fetch(`${root}/cgi-bin/gettoken?corpid=wwother&corpsecret=${SECRET}`)).json()).toMatchObject({ errcode: 40013 });
    expect(await (await fetch(`${root}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=wrong`)).json()).toMatchObject({ errcode: 40001 });
    const first = await token();
    expect(await token()).toBe(first);
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, first)).errcode).toBe(0);
    now += 7200_000;
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, first)).errcode).toBe(42001);
    expect(await token()).not.toBe(first);
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, 'made-up')).errcode).toBe(40014);
    expect(fake.gettokenCalls).toBe(5);
  });

  it('plays scripted answers (errcodes, raw bodies) for the next calls, then behaves again', async () => {
    const t = await token();
    fake.script('user/get', { errcode: 45009 }, { errcode: -1 }, { raw: { errcode: 0, errmsg: 'ok', userid: 'x' } });
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, t)).errcode).toBe(45009);
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, t)).errcode).toBe(-1);
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, t)).userid).toBe('x');
    expect((await call('user/get', undefined, { userid: 'zhangsan' }, t)).name).toBe('张三');
  });
});

describe('fake WeCom server: customer contact', () => {
  it('issues a WelcomeCode when a customer adds an employee and accepts one welcome within 20 s', async () => {
    const { welcomeCode, xml } = fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1', state: 'store1' });
    expect(xml).toContain('<ChangeType><![CDATA[add_external_contact]]></ChangeType>');
    now += 19_000;
    expect((await call('externalcontact/send_welcome_msg', { welcome_code: welcomeCode, text: { content: '欢迎' } })).errcode).toBe(0);
    expect((await call('externalcontact/send_welcome_msg', { welcome_code: welcomeCode, text: { content: '欢迎' } })).errcode).toBe(41051);
    const late = fake.contacts.customerAdds({ userId: 'lisi', externalUserId: 'wmCUSTOMER2' });
    now += 21_000;
    expect((await call('externalcontact/send_welcome_msg', { welcome_code: late.welcomeCode, text: { content: '欢迎' } })).errcode).not.toBe(0);
    expect(fake.contacts.welcomes).toHaveLength(1);
    expect(fake.violations).toEqual([expect.stringContaining('used twice'), expect.stringContaining('after the add event')]);
  });

  it('creates contact ways with a state of at most 30 characters', async () => {
    const made = await call('externalcontact/add_contact_way', { type: 1, scene: 2, user: ['zhangsan'], state: 's'.repeat(30) });
    expect(made).toMatchObject({ errcode: 0, config_id: expect.any(String), qr_code: expect.stringContaining('https://') });
    expect((await call('externalcontact/add_contact_way', { type: 1, scene: 2, user: ['zhangsan'], state: 's'.repeat(31) })).errcode).not.toBe(0);
    expect(fake.violations).toEqual([expect.stringContaining('31 characters')]);
  });

  it('keeps a template task unsent until the employee confirms, and holds each customer to 4 a month', async () => {
    fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' });
    const tasks: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const created = await call('externalcontact/add_msg_template', { chat_type: 'single', sender: 'zhangsan', external_userid: ['wmCUSTOMER1', 'wmSTRANGER'], text: { content: `第${i}条` } });
      expect(created).toMatchObject({ errcode: 0, fail_list: ['wmSTRANGER'] });
      tasks.push(String(created.msgid));
    }
    const result = (msgid: string) => call('externalcontact/get_groupmsg_send_result', { msgid, userid: 'zhangsan' });
    expect((await result(tasks[0] ?? '')).send_list).toEqual([{ external_userid: 'wmCUSTOMER1', userid: 'zhangsan', status: 0 }]);
    for (const msgid of tasks) fake.templates.confirm(msgid);
    expect((await result(tasks[3] ?? '')).send_list).toEqual([expect.objectContaining({ status: 1 })]);
    expect((await result(tasks[4] ?? '')).send_list).toEqual([expect.objectContaining({ status: 3 })]);
  });

  it('refuses a template text over 4000 bytes, and sends one without external_userid to every customer of the sender (a violation)', async () => {
    fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' });
    fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER2' });
    expect((await call('externalcontact/add_msg_template', { sender: 'zhangsan', external_userid: ['wmCUSTOMER1'], text: { content: '好'.repeat(1334) } })).errcode).not.toBe(0);
    expect((await call('externalcontact/add_msg_template', { sender: 'zhangsan', external_userid: ['wmCUSTOMER1'], text: { content: '好'.repeat(1333) } })).errcode).toBe(0);
    const everyone = await call('externalcontact/add_msg_template', { sender: 'zhangsan', text: { content: '全体' } });
    expect(fake.templates.tasks.get(String(everyone.msgid))?.externalUserIds).toEqual(['wmCUSTOMER1', 'wmCUSTOMER2']);
    expect(fake.violations).toEqual([expect.stringContaining('4002 bytes'), expect.stringContaining('every customer of zhangsan')]);
  });

  it('lists templates made within a time range of at most a month, page by page', async () => {
    fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' });
    const start = Math.floor(now / 1000);
    for (let i = 0; i < 3; i += 1) await call('externalcontact/add_msg_template', { chat_type: 'single', sender: 'zhangsan', external_userid: ['wmCUSTOMER1'], text: { content: `第${i}条` } });
    const first = await call('externalcontact/get_groupmsg_list_v2', { chat_type: 'single', start_time: start, end_time: start + 60, filter_type: 0, limit: 2 });
    expect(first).toMatchObject({ errcode: 0, next_cursor: 'g2', group_msg_list: [{ text: { content: '第0条' }, create_type: 0 }, { text: { content: '第1条' } }] });
    const second = await call('externalcontact/get_groupmsg_list_v2', { chat_type: 'single', start_time: start, end_time: start + 60, filter_type: 0, limit: 2, cursor: first.next_cursor });
    expect(second).toMatchObject({ next_cursor: '', group_msg_list: [{ text: { content: '第2条' } }] });
    expect((await call('externalcontact/get_groupmsg_list_v2', { chat_type: 'single', start_time: start + 61, end_time: start + 120 })).group_msg_list).toEqual([]);
    expect((await call('externalcontact/get_groupmsg_list_v2', { start_time: start, end_time: start + 32 * 86_400 })).errcode).not.toBe(0);
    expect((await call('externalcontact/get_groupmsg_list_v2', { start_time: start, end_time: start + 60, limit: 101 })).errcode).toBe(40058);
    expect(fake.violations).toEqual([expect.stringContaining('at most a month')]);
  });

  it('answers customer detail, 84061 for a stranger, and transfers only the handover employee’s customers', async () => {
    fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1', state: 'store1' });
    expect(await call('externalcontact/get', undefined, { external_userid: 'wmCUSTOMER1' })).toMatchObject({ errcode: 0, follow_user: [{ userid: 'zhangsan', state: 'store1' }] });
    expect((await call('externalcontact/get', undefined, { external_userid: 'wmNOBODY' })).errcode).toBe(84061);
    const moved = await call('externalcontact/transfer_customer', { handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmCUSTOMER1', 'wmNOBODY'] });
    expect(moved.customer).toEqual([{ external_userid: 'wmCUSTOMER1', errcode: 0 }, { external_userid: 'wmNOBODY', errcode: 40096 }]);
  });
});

describe('fake WeCom server: 客户继承', () => {
  const transfer = (body: object, resigned = false) => call(resigned ? 'externalcontact/resigned/transfer_customer' : 'externalcontact/transfer_customer', body);
  const statuses = async (resigned = false) => (await call(resigned ? 'externalcontact/resigned/transfer_result' : 'externalcontact/transfer_result', { handover_userid: 'zhangsan', takeover_userid: 'lisi' })).customer as { status: number }[];

  beforeEach(() => {
    for (const id of ['wmA', 'wmB', 'wmC']) fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: id, welcomeCode: false });
  });

  it('lists an employee’s customers, starts transfers that the customer has 24 h to refuse, and refuses what the documentation refuses', async () => {
    expect((await call('externalcontact/list', undefined, { userid: 'zhangsan' })).external_userid).toEqual(['wmA', 'wmB', 'wmC']);
    expect((await call('externalcontact/list', undefined, { userid: 'lisi' })).errcode).toBe(84061);
    const started = await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmA', 'wmB', 'wmNOBODY'], transfer_success_msg: '李四接替' });
    expect(started.customer).toEqual([{ external_userid: 'wmA', errcode: 0 }, { external_userid: 'wmB', errcode: 0 }, { external_userid: 'wmNOBODY', errcode: 40096 }]);
    // Asked again (a lost answer): under way already.
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmA'] })).customer).toEqual([{ external_userid: 'wmA', errcode: 40129 }]);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'zhangsan', external_userid: ['wmC'] })).customer).toEqual([{ external_userid: 'wmC', errcode: 40130 }]);
    expect((await transfer({ handover_userid: 'lisi', takeover_userid: 'zhangsan', external_userid: ['wmC'] })).customer).toEqual([{ external_userid: 'wmC', errcode: 40131 }]);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'ghost', external_userid: ['wmC'] })).errcode).toBe(60111);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmC'] }, true)).errcode).toBe(40097);
    expect(fake.violations).toEqual([]);
    const tooMany = Array.from({ length: 101 }, (_, i) => `wm${i}`);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: tooMany })).errcode).toBe(40058);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmC'], transfer_success_msg: '长'.repeat(201) })).errcode).toBe(40058);
    expect(fake.violations).toHaveLength(2);

    const callback = fake.transfers.fail('wmB', 'customer_refused');
    expect(callback).toContain('<ChangeType><![CDATA[transfer_fail]]></ChangeType>');
    expect(callback).toContain('<UserID><![CDATA[lisi]]></UserID>');
    expect(await statuses()).toEqual([
      { external_userid: 'wmA', status: 2, takeover_time: Math.floor(now / 1000) + 86_400 },
      { external_userid: 'wmB', status: 3, takeover_time: 0 },
    ]);
    now += 86_400_000;
    expect((await statuses()).map((c) => c.status)).toEqual([1, 3]);
    expect(fake.contacts.customersOf('lisi')).toEqual(['wmA']);
    expect(fake.contacts.customersOf('zhangsan')).toEqual(['wmB', 'wmC']); // a refused in-service transfer stays
  });

  it('hands a resigned employee’s customers over through get_unassigned_list and 离职继承 only', async () => {
    fake.resign('zhangsan');
    expect((await call('user/get', undefined, { userid: 'zhangsan' })).errcode).toBe(60111);
    const page = await call('externalcontact/get_unassigned_list', { cursor: '', page_size: 2 });
    expect(page).toMatchObject({ is_last: false, info: [{ handover_userid: 'zhangsan', external_userid: 'wmA' }, { external_userid: 'wmB' }] });
    expect(await call('externalcontact/get_unassigned_list', { cursor: page.next_cursor, page_size: 2 })).toMatchObject({ is_last: true, info: [{ external_userid: 'wmC' }] });
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmA'] })).errcode).toBe(40058);
    expect(fake.violations).toEqual(['transfer_customer: zhangsan has left the corp (use resigned/transfer_customer)']);
    expect((await transfer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wmA', 'wmB'] }, true)).customer).toEqual([{ external_userid: 'wmA', errcode: 0 }, { external_userid: 'wmB', errcode: 0 }]);
    fake.transfers.fail('wmB', 'customer_limit_exceed');
    now += 86_400_000;
    expect((await statuses(true)).map((c) => c.status)).toEqual([1, 4]);
    expect((await call('externalcontact/get_unassigned_list', {})).info).toEqual([{ handover_userid: 'zhangsan', external_userid: 'wmC', dimission_time: expect.any(Number) }]);
  });
});

describe('fake WeCom server: 微信客服', () => {
  beforeEach(() => fake.kf.addAccount('wkSTORE1', '门店客服'));

  it('allows 5 messages within 48 h of the customer’s last message, and no more', async () => {
    expect((await call('kf/send_msg', { touser: 'wmC', open_kfid: 'wkSTORE1', msgtype: 'text', text: { content: 'hi' } })).errcode).toBe(95002);
    fake.kf.customerSays('wkSTORE1', 'wmC', '在吗');
    for (let i = 0; i < 5; i += 1) expect((await call('kf/send_msg', { touser: 'wmC', open_kfid: 'wkSTORE1', msgtype: 'text', text: { content: `${i}` } })).errcode).toBe(0);
    expect((await call('kf/send_msg', { touser: 'wmC', open_kfid: 'wkSTORE1', msgtype: 'text', text: { content: '6' } })).errcode).toBe(95001);
    fake.kf.customerSays('wkSTORE1', 'wmC', '还有');
    now += 48 * 3_600_000 + 1;
    expect((await call('kf/send_msg', { touser: 'wmC', open_kfid: 'wkSTORE1', msgtype: 'text', text: { content: 'late' } })).errcode).toBe(95002);
    expect(fake.kf.sent).toHaveLength(5);
    expect(fake.violations).toHaveLength(3);
  });

  it('accepts one welcome per enter_session welcome_code within 20 s', async () => {
    const { welcomeCode } = fake.kf.customerEnters('wkSTORE1', 'wmC', 'store1');
    now += 5_000;
    expect((await call('kf/send_msg_on_event', { code: welcomeCode, msgtype: 'text', text: { content: '欢迎' } })).errcode).toBe(0);
    expect((await call('kf/send_msg_on_event', { code: welcomeCode, msgtype: 'text', text: { content: '欢迎' } })).errcode).not.toBe(0);
    const late = fake.kf.customerEnters('wkSTORE1', 'wmD');
    now += 20_001;
    expect((await call('kf/send_msg_on_event', { code: late.welcomeCode, msgtype: 'text', text: { content: '欢迎' } })).errcode).not.toBe(0);
    expect(fake.kf.sent.map((s) => s.toUser)).toEqual(['wmC']);
  });

  it('pages sync_msg by cursor, takes callback tokens for 10 minutes, and links with a valid scene only', async () => {
    const { token: msgToken } = fake.kf.customerSays('wkSTORE1', 'wmC', '一');
    fake.kf.customerSays('wkSTORE1', 'wmC', '二');
    fake.kf.customerSays('wkSTORE1', 'wmC', '三');
    const first = await call('kf/sync_msg', { open_kfid: 'wkSTORE1', token: msgToken, limit: 2 });
    expect(first).toMatchObject({ errcode: 0, has_more: 1, msg_list: [{ text: { content: '一' } }, { text: { content: '二' } }] });
    const second = await call('kf/sync_msg', { open_kfid: 'wkSTORE1', cursor: first.next_cursor, limit: 2 });
    expect(second).toMatchObject({ has_more: 0, msg_list: [{ text: { content: '三' }, origin: 3 }] });
    now += 10 * 60_000 + 1;
    expect((await call('kf/sync_msg', { open_kfid: 'wkSTORE1', token: msgToken })).errcode).not.toBe(0);
    expect((await call('kf/add_contact_way', { open_kfid: 'wkSTORE1', scene: 'store1_A-2' })).url).toContain('https://');
    expect((await call('kf/add_contact_way', { open_kfid: 'wkSTORE1', scene: 'bad scene!' })).errcode).not.toBe(0);
    expect((await call('kf/account/list', { offset: 0, limit: 100 })).account_list).toEqual([expect.objectContaining({ open_kfid: 'wkSTORE1' })]);
  });
});

describe('fake WeCom server: app messages and the directory', () => {
  const text = (content: string, extra: object = {}) => ({ touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content }, ...extra });

  it('drops (answering ok) the 31st message a minute to one employee, and records it', async () => {
    for (let i = 0; i < 31; i += 1) expect((await call('message/send', text(`n${i}`))).errcode).toBe(0);
    expect(fake.app.deliveredTo('zhangsan')).toHaveLength(30);
    expect(fake.app.dropped).toHaveLength(1);
    expect(fake.violations).toEqual([expect.stringContaining('within a minute')]);
    now += 60_000;
    expect((await call('message/send', text('later'))).errcode).toBe(0);
    expect(fake.app.deliveredTo('zhangsan')).toHaveLength(31);
  });

  it('delivers an identical request once within the duplicate-check interval', async () => {
    const request = text('提醒', { enable_duplicate_check: 1, duplicate_check_interval: 600 });
    const first = await call('message/send', request);
    expect(await call('message/send', request)).toMatchObject({ errcode: 0, msgid: first.msgid });
    expect(fake.app.duplicatesSuppressed).toBe(1);
    now += 600_000;
    await call('message/send', request);
    expect(fake.app.deliveredTo('zhangsan')).toHaveLength(2);
  });

  it('pages user/list_id, answers user/get, and takes an OAuth code once', async () => {
    const first = await call('user/list_id', { limit: 2 });
    expect(first).toMatchObject({ dept_user: [{ userid: 'zhangsan', department: 1 }, { userid: 'zhangsan', department: 2 }] });
    expect(await call('user/list_id', { limit: 2, cursor: first.next_cursor })).toMatchObject({ next_cursor: '', dept_user: [{ userid: 'lisi', department: 2 }] });
    expect((await call('user/get', undefined, { userid: 'nobody' })).errcode).toBe(60111);
    expect((await call('message/send', { ...text('x'), touser: 'nobody' })).errcode).toBe(81013);
    const code = fake.app.issueOAuthCode({ userid: 'lisi' });
    expect(await call('auth/getuserinfo', undefined, { code })).toMatchObject({ errcode: 0, userid: 'lisi' });
    expect((await call('auth/getuserinfo', undefined, { code })).errcode).toBe(40029);
  });
});
