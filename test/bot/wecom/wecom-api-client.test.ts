// The WeCom API client against the fake WeCom server: token caching and refresh on a fake clock,
// errcodes as typed errors, network failures told apart, and the typed endpoints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { WecomApiError, WecomCredentialsError, WecomNetworkError, WecomRetryableError, WecomUnexpectedAnswerError, classifyWecomError } from '../../../bot/channels/wecom/wecom-errors.ts';
import { FixedClock } from '../../../core/clock.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';

const CORP = 'ww1234567890abcdef';
const SECRET = 'app-secret-for-tests-only-7f3a';
const fixture = (name: string) => JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/wecom', name), 'utf8')) as Record<string, unknown>;

let clock: FixedClock;
let fake: FakeWecomServer;
let apiBase: string;
/** errcodes of every answer the client received, in order. */
let seen: number[];

const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = (await response.clone().json().catch(() => ({}))) as { errcode?: number };
  seen.push(body.errcode ?? 0);
  return response;
};

function client(overrides: Partial<ConstructorParameters<typeof WecomApiClient>[0]> = {}): WecomApiClient {
  return new WecomApiClient({ corpId: CORP, secret: SECRET, apiBase, clock, fetch: recordingFetch, timeoutMs: 2_000, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error('expected a failure');
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain('fake-access-token');
  return error;
}

beforeEach(async () => {
  clock = new FixedClock('2024-05-06T02:00:00Z');
  seen = [];
  fake = new FakeWecomServer({ corpId: CORP, secrets: [SECRET], now: () => clock.now().getTime() });
  apiBase = await fake.start();
  fake.app.setDirectory([{ userid: 'zhangsan', name: '张三', department: [1] }, { userid: 'lisi', name: '李四', department: [1] }]);
});
afterEach(async () => {
  await fake.close();
});

describe('WeCom access token', () => {
  it('is fetched once for many calls, and once for 20 concurrent callers', async () => {
    const wecom = client();
    await Promise.all(Array.from({ length: 20 }, () => wecom.getUser('zhangsan')));
    await wecom.getUser('lisi');
    expect(fake.gettokenCalls).toBe(1);
  });

  it('is replaced before it expires, so WeCom never answers 42001', async () => {
    const wecom = client();
    await wecom.getUser('zhangsan');
    clock.advance(7200_000 - 4 * 60_000); // inside the 5-minute margin
    await wecom.getUser('zhangsan');
    clock.advance(4 * 60_000);
    await wecom.getUser('zhangsan');
    // The second gettoken got the same token back with its remaining lifetime (WeCom: "有效期内重复获取
    // 返回相同结果"); the third, at its expiry, a new one.
    expect(fake.gettokenCalls).toBe(3);
    expect(seen.filter((errcode) => errcode !== 0)).toEqual([]);
  });

  it('on 42001 is refreshed once and the call retried once; a second rejection is thrown', async () => {
    const wecom = client();
    fake.script('user/get', { errcode: 42001, errmsg: 'access_token expired' });
    expect((await wecom.getUser('zhangsan')).name).toBe('张三');
    expect(fake.calls.filter((c) => c === 'user/get')).toHaveLength(2);
    expect(fake.gettokenCalls).toBe(2);
    fake.script('user/get', { errcode: 40014 }, { errcode: 42001 });
    const error = await failure(wecom.getUser('zhangsan'));
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ errcode: 42001, method: 'user/get' });
    expect(fake.calls.filter((c) => c === 'user/get')).toHaveLength(4);
  });

  it('revoked early, is refreshed by one gettoken for 20 concurrent callers', async () => {
    const wecom = client();
    await wecom.getUser('zhangsan');
    fake.revokeTokens();
    const users = await Promise.all(Array.from({ length: 20 }, () => wecom.getUser('lisi')));
    expect(users.every((u) => u.userid === 'lisi')).toBe(true);
    expect(fake.gettokenCalls).toBe(2);
  });

  it('refused for a wrong secret or corp id names what to fix, without the secret', async () => {
    const wrongSecret = await failure(client({ secret: 'not-the-secret' }).getUser('zhangsan'));
    expect(wrongSecret).toBeInstanceOf(WecomCredentialsError);
    expect(wrongSecret.message).toMatch(/app secret.*Secret/);
    const wrongCorp = await failure(client({ corpId: 'wwwrong' }).getUser('zhangsan'));
    expect(wrongCorp).toMatchObject({ errcode: 40013, method: 'gettoken' });
    expect(wrongCorp.message).toContain('企业ID');
  });
});

describe('WeCom errors', () => {
  it('45009, 45033 and -1 are retryable with a suggested back-off', async () => {
    const wecom = client();
    fake.script('message/send', { errcode: 45009, errmsg: 'api freq out of limit' }, { errcode: -1 }, { errcode: 45033 });
    const send = () => wecom.sendAppMessage({ agentId: 1000002, toUsers: ['zhangsan'], message: { kind: 'text', content: 'x' } });
    const limited = await failure(send());
    expect(limited).toBeInstanceOf(WecomRetryableError);
    expect(classifyWecomError(limited)).toEqual({ status: 'retry', error: limited.message, retryAfterMs: 60_000 });
    expect(await failure(send())).toMatchObject({ errcode: -1, retryAfterMs: 2_000 });
    expect(await failure(send())).toMatchObject({ errcode: 45033, retryAfterMs: 1_000 });
  });

  it('no answer in time is ambiguous; a refused connection was never sent', async () => {
    fake.script('message/send', { hang: 'before' });
    const timedOut = await failure(client({ timeoutMs: 150 }).sendAppMessage({ agentId: 1000002, toUsers: ['zhangsan'], message: { kind: 'text', content: 'x' } }));
    expect(timedOut).toMatchObject({ kind: 'no-answer', method: 'message/send' });
    expect(classifyWecomError(timedOut).status).toBe('ambiguous');
    const closed = new FakeWecomServer({ corpId: CORP, secrets: [SECRET] });
    const deadBase = await closed.start();
    await closed.close();
    const refused = await failure(client({ apiBase: deadBase }).getUser('zhangsan'));
    expect(refused).toBeInstanceOf(WecomNetworkError);
    expect(refused).toMatchObject({ kind: 'not-sent', method: 'gettoken' });
    expect(classifyWecomError(refused).status).toBe('retry');
  });

  it('an app message whose answer was lost is delivered once when resent identically (duplicate check)', async () => {
    const wecom = client({ timeoutMs: 150 });
    const send = () => wecom.sendAppMessage({ agentId: 1000002, toUsers: ['zhangsan'], message: { kind: 'textcard', title: '待办', description: '3 位客户待跟进', url: 'https://example.com/todo' } });
    fake.script('message/send', { hang: 'after' });
    await failure(send());
    await send();
    expect(fake.app.deliveredTo('zhangsan')).toHaveLength(1);
    expect(fake.app.duplicatesSuppressed).toBe(1);
  });

  it('an answer without what the documentation promises is an unexpected-answer error; errcodes of gone customers mean blocked', async () => {
    fake.script('kf/send_msg', { raw: { errcode: 0, errmsg: 'ok' } });
    const error = await failure(client().kfSendText({ openKfId: 'wk1', toUser: 'wm1', text: 'x' }));
    expect(error).toBeInstanceOf(WecomUnexpectedAnswerError);
    expect(classifyWecomError(new WecomApiError(84061, 'not external contact', 'externalcontact/get')).status).toBe('blocked');
    expect(classifyWecomError(new WecomApiError(95001, 'limit', 'kf/send_msg')).status).toBe('window-closed');
    expect(classifyWecomError(new WecomApiError(95002, 'limit', 'kf/send_msg')).status).toBe('window-closed');
  });
});

describe('WeCom endpoints', () => {
  it('contact way, welcome within 20 s, customer detail, message template and its result, transfer', async () => {
    const wecom = client();
    const way = await wecom.addContactWay({ users: ['zhangsan'], single: true, state: 'store1-showroom' });
    expect(way.qrCode).toMatch(/^https:\/\//);
    await wecom.updateContactWay({ configId: way.configId, users: ['lisi'] });
    expect(fake.contacts.contactWays.find((w) => w.configId === way.configId)).toMatchObject({ single: true, users: ['lisi'] });
    await expect(wecom.updateContactWay({ configId: way.configId, users: ['lisi', 'wangwu'] })).rejects.toMatchObject({ errcode: 40058 });
    expect(fake.violations.splice(0)).toEqual(['update_contact_way: 2 users for a single-employee code']);
    const { welcomeCode } = fake.contacts.customerAdds({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1', state: 'store1-showroom', name: '王' });
    clock.advance(2_000);
    await wecom.sendWelcomeMsg({ welcomeCode: welcomeCode ?? '', text: '您好，欢迎光临' });
    expect((await wecom.getExternalContact('wmCUSTOMER1')).follow_user[0]).toMatchObject({ userid: 'zhangsan', state: 'store1-showroom' });
    const task = await wecom.addMsgTemplate({ sender: 'zhangsan', externalUserIds: ['wmCUSTOMER1'], text: '生日快乐' });
    expect((await wecom.getGroupMsgSendResult({ msgid: task.msgid, userId: 'zhangsan' })).send_list[0]?.status).toBe(0);
    const listed = await wecom.listApiTemplates({ from: new Date(clock.now().getTime() - 60_000), to: clock.now() });
    expect(listed.group_msg_list).toMatchObject([{ msgid: task.msgid, text: { content: '生日快乐' } }]);
    fake.templates.confirm(task.msgid);
    expect((await wecom.getGroupMsgSendResult({ msgid: task.msgid, userId: 'zhangsan' })).send_list[0]?.status).toBe(1);
    expect(await wecom.listExternalContacts('zhangsan')).toEqual(['wmCUSTOMER1']);
    expect(await wecom.listExternalContacts('lisi')).toEqual([]);
    expect(await wecom.transferCustomers({ resigned: false, handoverUserId: 'zhangsan', takeoverUserId: 'lisi', externalUserIds: ['wmCUSTOMER1'], transferSuccessMsg: '李四将继续为您服务' })).toEqual([{ external_userid: 'wmCUSTOMER1', errcode: 0 }]);
    expect((await wecom.transferResult({ resigned: false, handoverUserId: 'zhangsan', takeoverUserId: 'lisi' })).customer).toEqual([{ external_userid: 'wmCUSTOMER1', status: 2, takeover_time: Math.floor(clock.now().getTime() / 1000) + 86_400 }]);
    // 40097 该成员尚未离职: 离职继承 is only for an employee who left.
    await expect(wecom.transferCustomers({ resigned: true, handoverUserId: 'lisi', takeoverUserId: 'zhangsan', externalUserIds: ['wmCUSTOMER1'] })).rejects.toMatchObject({ errcode: 40097, method: 'externalcontact/resigned/transfer_customer' });
    expect(fake.violations).toEqual([]);
  });

  it('kf: accounts, link, sync with the callback token, reply, welcome on enter_session', async () => {
    const wecom = client();
    fake.kf.addAccount('wkSTORE1', '门店客服');
    expect((await wecom.kfListAccounts())[0]?.open_kfid).toBe('wkSTORE1');
    expect(await wecom.kfAddContactWay({ openKfId: 'wkSTORE1', scene: 'store1' })).toMatch(/^https:\/\//);
    const { welcomeCode } = fake.kf.customerEnters('wkSTORE1', 'wmC', 'store1');
    await wecom.kfSendTextOnEvent({ code: welcomeCode, text: '欢迎咨询' });
    const { token } = fake.kf.customerSays('wkSTORE1', 'wmC', '周六可以试驾吗');
    const page = await wecom.kfSyncMsg({ openKfId: 'wkSTORE1', token });
    expect(page.msg_list.map((m) => m.event?.event_type ?? m.text?.content)).toEqual(['enter_session', '周六可以试驾吗']);
    expect(page.has_more).toBe(false);
    expect(await wecom.kfSendText({ openKfId: 'wkSTORE1', toUser: 'wmC', text: '可以的' })).toEqual(expect.any(String));
    expect(fake.violations).toEqual([]);
  });

  it('reads the documented sync_msg and customer-detail payloads', async () => {
    fake.script('kf/sync_msg', { raw: fixture('kf-sync-msg.json') });
    fake.script('externalcontact/get', { raw: fixture('external-contact-get.json') });
    const wecom = client();
    const page = await wecom.kfSyncMsg({ openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', cursor: 'abc' });
    expect(page).toMatchObject({ next_cursor: '4gw7MepFLfgF2VC5npN', has_more: true });
    expect(page.msg_list[1]?.event).toMatchObject({ event_type: 'enter_session', welcome_code: 'aaaaaa', scene: 'store1' });
    const detail = await wecom.getExternalContact('wmAJ2GCAAAXtWyujaWJHDDGi0mACAAAA');
    expect(detail.external_contact.name).toBe('李四');
    expect(detail.follow_user[0]).toMatchObject({ userid: 'zhangsan', state: 'store1-showroom', createtime: 1700000100 });
  });

  it('directory and OAuth: user ids page by page, a user, who a code belongs to', async () => {
    const wecom = client();
    const first = await wecom.listUserIds({ limit: 1 });
    expect(first.dept_user).toEqual([{ userid: 'zhangsan', department: 1 }]);
    expect((await wecom.listUserIds({ limit: 1, cursor: first.next_cursor })).next_cursor).toBe('');
    expect(await wecom.getOAuthIdentity(fake.app.issueOAuthCode({ userid: 'lisi' }))).toEqual({ kind: 'member', userId: 'lisi' });
    expect(await wecom.getOAuthIdentity(fake.app.issueOAuthCode({ openid: 'oOUTSIDER' }))).toEqual({ kind: 'non-member', openId: 'oOUTSIDER' });
    expect(await failure(wecom.getUser('nobody'))).toMatchObject({ errcode: 60111 });
  });
});
