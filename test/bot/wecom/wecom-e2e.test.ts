// WeCom end to end on the fake WeCom server (real payload shapes, the test's fixed clock): a burst
// of customers adding consultants all welcomed in time and once; a customer from the 「联系我」 code
// through the personal link to the voucher; a staff command from the app run once under a
// replayed callback; a customer deleting the consultant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { linkStaffAccount } from '../../../core/staff/link-staff-account.ts';
import { callbackXml } from '../../fakes/fake-wecom-common.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, WECOM_TEST, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
let inbox: InboxWorker;
const admin = () => ({ staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' as const });

async function consultant(name: string, userId: string): Promise<string> {
  const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role: 'CONSULTANT' } });
  await linkStaffAccount(t.ctx.db, t.clock, admin(), { staffId: staff.id, channel: 'WECOM', externalId: userId });
  return staff.id;
}
async function drainInbox(): Promise<void> {
  while ((await inbox.runOnce()) > 0) { /* everything stored */ }
}

beforeEach(async () => {
  t = await createTestApp();
  w = await openWecom(t);
  inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [w.channel.inbox]) });
});
afterEach(async () => {
  await w.close();
  await t.close();
});

describe('WeCom customers', () => {
  it('welcomes a burst of 300 customers within 2 minutes each within 20 s and once, some events delivered twice, the inbox untouched', async () => {
    const users = ['zhangwei', 'lina', 'wangfang'];
    for (const [i, userId] of users.entries()) await consultant(`顾问${i}`, userId);
    const codes: string[] = [];
    for (let batch = 0; batch < 30; batch += 1) {
      // Ten customers add at once; the clock moves 4 s per batch (300 in 120 s).
      await Promise.all(Array.from({ length: 10 }, async (_, k) => {
        const n = batch * 10 + k;
        const added = w.fake.contacts.customerAdds({ userId: users[n % 3] ?? 'zhangwei', externalUserId: `wmBurst${String(n).padStart(4, '0')}`, state: 'showroom' });
        codes.push(added.welcomeCode ?? '');
        expect((await w.post(added.xml)).body).toBe('success');
        if (n % 7 === 0) expect((await w.post(added.xml)).body).toBe('success'); // WeCom's retry
      }));
      await w.channel.welcomesSettled();
      t.clock.advance(4_000);
    }
    expect(w.fake.contacts.welcomes).toHaveLength(300);
    expect(new Set(w.fake.contacts.welcomes.map((x) => x.welcomeCode)).size).toBe(300);
    expect(w.fake.violations).toEqual([]); // no welcome later than 20 s, no WelcomeCode used twice
    expect(await t.ctx.db.wecomWelcome.count({ where: { state: 'SENT' } })).toBe(300);
    // The inbox worker comes to the stored events later: it finds each welcome claimed.
    await drainInbox();
    expect(w.fake.contacts.welcomes).toHaveLength(300);
    expect(w.fake.violations).toEqual([]);
  });

  it('takes a customer from the contact-me code through the personal link to the voucher, as their consultant\'s lead', async () => {
    const staffId = await consultant('张伟', 'zhangwei');
    const qrCode = await w.channel.entryLink?.('showroom');
    expect(qrCode).toMatch(/^https?:\/\//);
    expect(w.fake.contacts.contactWays).toMatchObject([{ users: ['zhangwei'], state: 'showroom' }]);
    const added = w.fake.contacts.customerAdds({ userId: 'zhangwei', externalUserId: 'wmCustomer0001', state: 'showroom' });
    await w.post(added.xml);
    await w.channel.welcomesSettled();
    const link = new URL(/http\S+/.exec(w.fake.contacts.welcomes[0]?.text ?? '')?.[0] ?? 'http://none');
    const page = await w.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(page.statusCode).toBe(200);
    const body = { source: 'showroom', name: '李雷', phone: '13912345678', modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: [], serviceConsent: true, marketingConsent: false };
    const forged = await w.app.inject({ method: 'POST', url: '/api/registrations?w=bogus.token', payload: body });
    expect(forged.statusCode).toBe(400);
    const registered = await w.app.inject({ method: 'POST', url: `/api/registrations?w=${link.searchParams.get('w') ?? ''}`, payload: body });
    expect(registered.statusCode).toBe(201);
    const { voucher, voucherCode } = registered.json<{ voucher: string; voucherCode: string }>();
    expect(voucher).toBe('issued');
    expect(voucherCode).toMatch(/\S/);
    const { customerId } = await t.ctx.db.voucher.findFirstOrThrow({ where: { code: voucherCode } });
    expect(await t.ctx.db.channelIdentity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'WECOM', externalId: 'wmCustomer0001' } } })).toMatchObject({ customerId });
    expect(await t.ctx.db.lead.findFirstOrThrow({ where: { customerId } })).toMatchObject({ ownerStaffId: staffId });
    // WeChat customers cannot be pushed to: the visit thanks becomes the consultant's task.
    t.clock.advance(6 * 3600_000);
    const dispatcher = new Dispatcher({ db: t.ctx.db, clock: t.clock, logger: silentLogger, senders: [w.channel.sender] });
    while ((await dispatcher.runOnce()) > 0) { /* plan what is due */ }
    expect(await t.ctx.db.staffTask.findMany({ where: { customerId } })).toMatchObject([{ kind: 'forward:visit_thanks', staffId }]);
    expect(w.fake.calls).not.toContain('message/send');
  });

  it('alerts the managers and stops reaching a customer who deleted the consultant', async () => {
    await consultant('张伟', 'zhangwei');
    const customer = await t.ctx.db.customer.create({ data: { name: '韩梅梅', phone: '+8613900000001' } });
    await t.ctx.db.channelIdentity.create({ data: { customerId: customer.id, channel: 'WECOM', externalId: 'wmGone' } });
    const xml = callbackXml({ ToUserName: WECOM_TEST.corpId, FromUserName: 'sys', CreateTime: Math.floor(t.clock.now().getTime() / 1000), MsgType: 'event', Event: 'change_external_contact', ChangeType: 'del_follow_user', UserID: 'zhangwei', ExternalUserID: 'wmGone' });
    await w.post(xml);
    await w.post(xml);
    await drainInbox();
    expect((await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { externalId: 'wmGone' } })).blockedAt).not.toBeNull();
    const alerts = await t.ctx.db.messageIntent.findMany({ where: { kind: 'relationship_alert' } });
    expect(alerts).toHaveLength(1); // the store's only manager-level staff: its admin
    expect(alerts[0]?.payload).toContain('韩梅梅');
  });
});

describe('WeCom staff', () => {
  it('runs a staff command from the app once under a replayed callback, and answers by app message', async () => {
    await consultant('张伟', 'zhangwei');
    const xml = callbackXml({ ToUserName: WECOM_TEST.corpId, FromUserName: 'zhangwei', CreateTime: Math.floor(t.clock.now().getTime() / 1000), MsgType: 'text', Content: '帮助', MsgId: '7001', AgentID: 1000002 });
    await w.post(xml);
    await drainInbox();
    await w.post(xml); // WeCom delivers it again
    const row = await t.ctx.db.inboundUpdate.findFirstOrThrow({ where: { channel: 'WECOM' } });
    await inboxHandler(t.ctx.inbound, [w.channel.inbox])(row); // and a second worker takes the row again
    await drainInbox();
    const replies = await t.ctx.db.messageIntent.findMany({ where: { dedupeKey: { startsWith: 'reply:WECOM:' } } });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.payload).toContain('跟进'); // the staff commands' help, not the customer's registration
    w.fake.app.setDirectory([{ userid: 'zhangwei', name: '张伟', department: [1] }]);
    const dispatcher = new Dispatcher({ db: t.ctx.db, clock: t.clock, logger: silentLogger, senders: [w.channel.sender] });
    while ((await dispatcher.runOnce()) > 0) { /* send what is due */ }
    expect(w.fake.app.deliveredTo('zhangwei')).toHaveLength(1);
    expect(w.fake.violations).toEqual([]);
  });
});
