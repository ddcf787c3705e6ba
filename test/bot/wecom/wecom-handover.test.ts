// A consultant leaves, end to end on the fake WeCom server: the manager deactivates them on
// /admin/staff and hands their customers to a colleague; WeCom records the transfers (在职继承, or
// 离职继承 for an employee who already left), the leads, tasks and orders move, the audit log says
// so; what the customer refuses (transfer_fail callback, or transfer_result) goes back to the
// managers; a double submit, a lost answer and a crash before the WeCom part resume without
// transferring anyone twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import { handOverCustomers } from '../../../core/staff/customer-handover.ts';
import { followRedirect, signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, wecomConsultant, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
let managerId: string;
let cookie: string;
let zhang: string;
let lina: string;
let wang: string;

const DAY = 24 * 3_600_000;

/** A registered WeCom customer of consultant `ownerId` (WeCom userid `userId`): identity, lead, and the relation in WeCom. */
async function wecomCustomer(n: number, ownerId: string, userId: string): Promise<string> {
  const externalId = `wmCustomer${n}`;
  w.fake.contacts.customerAdds({ userId, externalUserId: externalId, state: 'showroom', welcomeCode: false });
  await t.ctx.db.customer.create({
    data: {
      name: `客户${n}`, phone: `+8613800000${String(n).padStart(3, '0')}`,
      identities: { create: { channel: 'WECOM', externalId } },
      leads: { create: { storeId: t.setup.storeId, ownerStaffId: ownerId, source: 'walk_in', firstVisitAt: t.clock.now(), grade: 'A' } },
    },
  });
  return externalId;
}

const handOver = async (from: string, to: string, who = cookie) =>
  followRedirect(w.app, await w.app.inject({ method: 'POST', url: `/admin/staff/${from}/handover`, cookies: { sc_staff: who }, payload: { toStaffId: to } }), who);
const ownerOf = async (externalId: string) => (await t.ctx.db.lead.findFirst({ where: { customer: { identities: { some: { externalId } } } } }))?.ownerStaffId;
const calls = (method: string) => w.fake.calls.filter((c) => c === method).length;
const managerNotices = () => t.ctx.db.messageIntent.findMany({ where: { staffId: managerId, kind: 'customer_transfer_failed' } });

beforeEach(async () => {
  t = await createTestApp();
  w = await openWecom(t);
  w.fake.app.setDirectory([{ userid: 'zhangwei', name: '张伟', department: [1] }, { userid: 'lina', name: '李娜', department: [1] }, { userid: 'wangqiang', name: '王强', department: [1] }]);
  managerId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '陈经理', role: 'MANAGER' } })).id;
  cookie = await signIn(t, managerId);
  zhang = await wecomConsultant(t, '张伟', 'zhangwei');
  lina = await wecomConsultant(t, '李娜', 'lina');
  wang = await wecomConsultant(t, '王强', 'wangqiang');
  for (const n of [1, 2, 3]) await wecomCustomer(n, zhang, 'zhangwei');
  for (const n of [4, 5]) await wecomCustomer(n, wang, 'wangqiang');
});
afterEach(async () => {
  await w.close();
  await t.close();
});

describe('a consultant leaves', () => {
  it('transfers a consultant\'s customers: page action → WeCom transfer → leads, task and order moved → audit row; done after 24 h', async () => {
    const task = await t.ctx.db.staffTask.create({ data: { storeId: t.setup.storeId, staffId: zhang, kind: 'forward:birthday', text: '生日祝福', createdAt: t.clock.now() } });
    const customer = await t.ctx.db.customer.findFirstOrThrow({ where: { name: '客户1' } });
    const order = await t.ctx.db.order.create({ data: { storeId: t.setup.storeId, customerId: customer.id, consultantId: zhang, model: 'A6L', orderedAt: t.clock.now(), deliveryAt: new Date(t.clock.now().getTime() + 7 * DAY) } });

    const page = await w.app.inject({ method: 'GET', url: '/admin/staff', cookies: { sc_staff: cookie } });
    // The successor suggested: the other consultant with the fewest open leads (李娜 0, 王强 2).
    expect(page.body).toContain(`<form method="post" action="/admin/staff/${zhang}/handover"`);
    expect(page.body).toContain(`<option value="${lina}" selected>李娜（建议：线索最少）</option>`);

    const done = await handOver(zhang, lina);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('已停用 张伟，并把 3 条线索、1 个待办、1 个未交车订单、0 个二维码来源转给 李娜。');
    expect(done.body).toContain('企业微信（在职继承）：共 3 位客户，3 位已发起转接');
    expect(w.fake.transfers.transfers.map((x) => [x.handover, x.takeover, x.externalUserId, x.resigned])).toEqual(
      [1, 2, 3].map((n) => ['zhangwei', 'lina', `wmCustomer${n}`, false]),
    );
    for (const n of [1, 2, 3]) expect(await ownerOf(`wmCustomer${n}`)).toBe(lina);
    expect(await ownerOf('wmCustomer4')).toBe(wang);
    expect(await t.ctx.db.staff.findUniqueOrThrow({ where: { id: zhang } })).toMatchObject({ active: false, onDuty: false });
    expect((await t.ctx.db.staffTask.findUniqueOrThrow({ where: { id: task.id } })).staffId).toBe(lina);
    expect((await t.ctx.db.order.findUniqueOrThrow({ where: { id: order.id } })).consultantId).toBe(lina);
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'customers_handed_over', entityId: zhang } });
    expect(audit.actorStaffId).toBe(managerId);
    expect(JSON.parse(audit.details)).toMatchObject({ to: lina, deactivated: true, tasks: 1, orders: 1 });
    expect(JSON.parse(audit.details).leadIds).toHaveLength(3);
    expect(await t.ctx.db.messageIntent.count({ where: { staffId: lina, kind: 'customers_handed_over' } })).toBe(1);

    // A double submit moves nothing again and asks WeCom nothing new.
    const again = await handOver(zhang, wang);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('无需重复提交');
    expect(await t.ctx.db.staffHandover.count()).toBe(1);
    expect(calls('externalcontact/transfer_customer')).toBe(1);
    expect(w.fake.transfers.transfers).toHaveLength(3);

    // Before the 24 h nothing is asked; after them transfer_result says done and the handover closes.
    await w.channel.customerHandover.checkDue();
    expect(calls('externalcontact/transfer_result')).toBe(0);
    t.clock.advance(DAY + 11 * 60_000);
    await w.channel.customerHandover.checkDue();
    expect(calls('externalcontact/transfer_result')).toBe(1);
    expect(await t.ctx.db.wecomCustomerTransfer.count({ where: { state: 'DONE' } })).toBe(3);
    expect(w.fake.contacts.customersOf('lina')).toEqual(['wmCustomer1', 'wmCustomer2', 'wmCustomer3']);
    expect(await t.ctx.db.staffHandover.findFirstOrThrow()).toMatchObject({ openKey: null, closedAt: t.clock.now() });
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'wecom_customers_transferred' } })).toBe(1);
    expect(await managerNotices()).toEqual([]);
    expect(w.fake.violations).toEqual([]);
  });

  it('gives a refused customer\'s lead back to the managers: at once on transfer_fail, or when transfer_result says so', async () => {
    const inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [w.channel.inbox]) });
    expect((await handOver(zhang, lina)).statusCode).toBe(200);
    t.clock.advance(3_600_000);
    const refused = w.fake.transfers.fail('wmCustomer1', 'customer_refused');
    for (let i = 0; i < 2; i += 1) expect((await w.post(refused)).body).toBe('success'); // WeCom's retry
    while ((await inbox.runOnce()) > 0) { /* the stored callbacks */ }
    const lead1 = await t.ctx.db.lead.findFirstOrThrow({ where: { customer: { name: '客户1' } } });
    expect(lead1).toMatchObject({ ownerStaffId: null, staleFlaggedAt: t.clock.now() });
    const notices = await managerNotices();
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]?.payload ?? '{}').text).toContain('张伟 的客户未能转给 李娜：客户1（客户拒绝）。1 条线索已退回经理');
    // The manager finds it on the list of leads to reassign.
    const stale = await w.app.inject({ method: 'POST', url: '/admin/console/messages', cookies: { sc_staff: await signIn(t, managerId) }, payload: { text: '久未成交', messageId: crypto.randomUUID() } });
    expect(stale.json<{ reply: string }>().reply).toContain('客户1');

    // The successor's limit, its callback lost: transfer_result says so once the takeover is due.
    w.fake.transfers.fail('wmCustomer2', 'customer_limit_exceed');
    t.clock.advance(DAY);
    await w.channel.customerHandover.checkDue();
    expect(await ownerOf('wmCustomer2')).toBeNull();
    expect(await ownerOf('wmCustomer3')).toBe(lina);
    expect(await managerNotices()).toHaveLength(2);
    expect(await t.ctx.db.wecomCustomerTransfer.findMany({ orderBy: { externalUserId: 'asc' }, select: { state: true, outcome: true } })).toEqual([
      { state: 'FAILED', outcome: 'customer_refused' }, { state: 'FAILED', outcome: 'status 4' }, { state: 'DONE', outcome: 'status 1' },
    ]);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'customer_transfer_failed' } })).toBe(2);
    expect((await t.ctx.db.staffHandover.findFirstOrThrow()).closedAt).not.toBeNull();
    expect(w.fake.violations).toEqual([]);
  });

  it('uses 离职继承 for an employee who already left WeCom', async () => {
    w.fake.resign('zhangwei');
    const done = await handOver(zhang, lina);
    expect(done.body).toContain('企业微信（离职继承）：共 3 位客户，3 位已发起转接');
    expect(calls('externalcontact/get_unassigned_list')).toBe(1);
    expect(calls('externalcontact/resigned/transfer_customer')).toBe(1);
    expect(calls('externalcontact/transfer_customer')).toBe(0);
    expect(w.fake.transfers.transfers.every((x) => x.resigned && x.takeover === 'lina')).toBe(true);
    t.clock.advance(DAY + 11 * 60_000);
    await w.channel.customerHandover.checkDue();
    expect(calls('externalcontact/resigned/transfer_result')).toBe(1);
    expect(await t.ctx.db.wecomCustomerTransfer.count({ where: { state: 'DONE' } })).toBe(3);
    expect(w.fake.violations).toEqual([]);
  });

  it('resumes after a lost answer and after a crash before the WeCom part, never transferring a customer twice', async () => {
    // WeCom took the call but its answer was lost: our rows stay PENDING…
    w.fake.script('externalcontact/transfer_customer', { errcode: -1, errmsg: 'system busy' });
    const first = await handOver(zhang, lina);
    expect(first.body).toContain('3 位因企业微信暂时无法连接稍后自动重试');
    await w.channel.api.transferCustomers({ resigned: false, handoverUserId: 'zhangwei', takeoverUserId: 'lina', externalUserIds: ['wmCustomer1', 'wmCustomer2'] });
    // …and the next round's call finds them under way (40129): started, not started again.
    await w.channel.customerHandover.checkDue();
    expect(await t.ctx.db.wecomCustomerTransfer.count({ where: { state: 'WAITING' } })).toBe(3);
    expect(w.fake.transfers.transfers.map((x) => x.externalUserId).sort()).toEqual(['wmCustomer1', 'wmCustomer2', 'wmCustomer3']);

    // A crash right after the store's part committed: the poller does WeCom's part.
    await handOverCustomers(t.ctx.db, t.clock, { staffId: managerId, role: 'MANAGER', storeId: t.setup.storeId }, { fromStaffId: wang, toStaffId: lina });
    expect(await t.ctx.db.wecomHandover.count()).toBe(1);
    await w.channel.customerHandover.checkDue();
    expect(w.fake.transfers.transfers.filter((x) => x.handover === 'wangqiang').map((x) => x.externalUserId)).toEqual(['wmCustomer4', 'wmCustomer5']);
    expect(w.fake.violations).toEqual([]);
  });

  it('lets only a manager or admin of the store hand over, to another active consultant who is on WeCom', async () => {
    const asConsultant = await handOver(zhang, lina, await signIn(t, wang));
    expect(asConsultant.statusCode).toBe(403);
    expect((await handOver(zhang, zhang)).statusCode).toBe(400);
    expect((await handOver(zhang, 'no-such-staff')).statusCode).toBe(400);
    expect((await handOver('no-such-staff', lina)).statusCode).toBe(404);
    const offWecom = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '赵敏', role: 'CONSULTANT' } })).id;
    const refused = await handOver(zhang, offWecom);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('赵敏 还没有填写企业微信账号');
    expect(await t.ctx.db.staffHandover.count()).toBe(0);
    expect((await t.ctx.db.staff.findUniqueOrThrow({ where: { id: zhang } })).active).toBe(true);
    expect(w.fake.transfers.transfers).toEqual([]);
  });
});
