// The callback URL (/wecom/callback) against signed, encrypted callbacks made the way WeCom makes
// them (test/fakes/wecom-callback-signer.ts, independent of @wecom/crypto): the URL check, what is
// refused with nothing stored, what is stored once, and the welcome of a customer who adds a consultant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackXml } from '../../fakes/fake-wecom-common.ts';
import { signCallback } from '../../fakes/wecom-callback-signer.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, WECOM_TEST, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
const secrets = { token: WECOM_TEST.token, encodingAesKey: WECOM_TEST.encodingAesKey, receiveId: WECOM_TEST.corpId };
const nowS = () => Math.floor(t.clock.now().getTime() / 1000);
const appText = (msgId: string, from = 'zhangsan', content = '帮助') => callbackXml({
  ToUserName: WECOM_TEST.corpId, FromUserName: from, CreateTime: nowS(), MsgType: 'text', Content: content, MsgId: msgId, AgentID: 1000002,
});

beforeEach(async () => {
  t = await createTestApp();
  w = await openWecom(t);
});
afterEach(async () => {
  await w.close();
  await t.close();
});

describe('/wecom/callback', () => {
  it('answers the URL check with the decrypted echostr, and refuses a forged one', async () => {
    const signed = signCallback(secrets, 'echo-1234567890', nowS());
    const ok = await w.app.inject({ method: 'GET', url: '/wecom/callback', query: { ...signed.query, echostr: signed.ciphertext } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('echo-1234567890');
    const forged = await w.app.inject({ method: 'GET', url: '/wecom/callback', query: { ...signed.query, msg_signature: 'f'.repeat(40), echostr: signed.ciphertext } });
    expect(forged.statusCode).toBe(403);
  });

  it('refuses a forged signature, a wrong corp id and a stale timestamp, storing nothing', async () => {
    const xml = appText('1001');
    const signed = signCallback(secrets, xml, nowS());
    const forged = await w.app.inject({ method: 'POST', url: '/wecom/callback', query: { ...signed.query, msg_signature: '0'.repeat(40) }, payload: signed.body, headers: { 'content-type': 'text/xml' } });
    expect(forged.statusCode).toBe(403);
    const otherCorp = signCallback({ ...secrets, receiveId: 'wwsomeothercorp000' }, xml, nowS());
    const wrongCorp = await w.app.inject({ method: 'POST', url: '/wecom/callback', query: otherCorp.query, payload: otherCorp.body, headers: { 'content-type': 'text/xml' } });
    expect(wrongCorp.statusCode).toBe(403);
    expect((await w.post(xml, { timestampS: nowS() - 3600 })).status).toBe(403);
    expect((await w.post('not xml at all')).status).toBe(400);
    expect(await t.ctx.db.inboundUpdate.count()).toBe(0);
  });

  it('stores a valid callback once, however often WeCom delivers it, and answers "success"', async () => {
    const xml = appText('1002');
    expect(await w.post(xml)).toEqual({ status: 200, body: 'success' });
    expect(await w.post(xml)).toEqual({ status: 200, body: 'success' });
    const rows = await t.ctx.db.inboundUpdate.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'WECOM', chatId: 'zhangsan', updateId: 'msg:1000002:1002' });
  });

  it('welcomes a customer who adds a consultant once, with a personal registration link, even when the event comes twice', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张伟', role: 'CONSULTANT' } });
    await t.ctx.db.staffChannelLink.create({ data: { staffId: consultant.id, channel: 'WECOM', externalId: 'zhangwei', linkedAt: t.clock.now(), lastSeenAt: t.clock.now() } });
    const added = w.fake.contacts.customerAdds({ userId: 'zhangwei', externalUserId: 'wmCustomer0001', state: 'showroom' });
    expect((await w.post(added.xml)).status).toBe(200);
    expect((await w.post(added.xml)).status).toBe(200);
    await w.channel.welcomesSettled();
    expect(w.fake.contacts.welcomes).toHaveLength(1);
    expect(w.fake.contacts.welcomes[0]?.text).toMatch(/张伟[\s\S]*http:\/\/showroom\.test\/r\/showroom\?w=\S+/);
    expect(await t.ctx.db.wecomWelcome.findUniqueOrThrow({ where: { welcomeCode: added.welcomeCode ?? '' } })).toMatchObject({ state: 'SENT' });
    expect(w.fake.violations).toEqual([]);
  });
});
