// The task path for a reminder to a contact-me customer, end to end on the fake WeCom server with
// the test's clock: a delivery reminder WeCom cannot push becomes an app message to the consultant
// and one add_msg_template for that one customer; the consultant confirms one in WeCom and the
// outbox page shows it confirmed; the other is chased once, then reported to the manager once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { recordOrder } from '../../../core/orders/order-service.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { linkStaffAccount } from '../../../core/staff/link-staff-account.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
const admin = () => ({ storeId: t.setup.storeId, staffId: t.setup.adminStaffId, role: 'ADMIN' as const });

async function staffWithWecom(name: string, userId: string, role: 'CONSULTANT' | 'MANAGER'): Promise<string> {
  const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role } });
  await linkStaffAccount(t.ctx.db, t.clock, admin(), { staffId: staff.id, channel: 'WECOM', externalId: userId });
  return staff.id;
}

/** A customer who added `userId` through a 「联系我」 code: a WeCom identity only, service consent given. */
async function contactMeCustomer(name: string, phone: string, externalUserId: string, userId: string): Promise<string> {
  const customer = await t.ctx.db.customer.create({ data: { name, phone } });
  await t.ctx.db.channelIdentity.create({ data: { customerId: customer.id, channel: 'WECOM', externalId: externalUserId } });
  await t.ctx.db.consentRecord.create({ data: { customerId: customer.id, purpose: 'SERVICE', granted: true, source: 'test', noticeVersion: 'test', recordedAt: t.clock.now() } });
  await t.ctx.db.visit.create({ data: { customerId: customer.id, storeId: t.setup.storeId, channel: 'WECOM', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
  w.fake.contacts.customerAdds({ userId, externalUserId, welcomeCode: false });
  return customer.id;
}

/** At `at`: the calendar jobs look (as the ticker would), then the outbox sends what is due. */
async function tick(at: string): Promise<void> {
  t.clock.set(at);
  const store = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
  const jobs = w.channel.calendarJobs?.({ id: store.id, timeZone: store.timeZone, staffHours: { start: store.staffHoursStart, end: store.staffHoursEnd } }) ?? [];
  await fireDueJobs(t.ctx.db, t.clock, silentLogger, jobs);
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [w.channel.sender] });
  while ((await dispatcher.runOnce()) > 0) { /* send what is due */ }
}

const row = (customerName: string) => t.ctx.db.wecomTemplateTask.findFirstOrThrow({ where: { staffTask: { customer: { name: customerName } } } });
const appTexts = (userId: string) => w.fake.app.deliveredTo(userId).map((d) => d.content);

beforeEach(async () => {
  t = await createTestApp({ STORE_ADDRESS: '上海市浦东新区示例路 88 号' }); // 2026-11-22 10:00 Shanghai
  w = await openWecom(t);
  w.fake.app.setDirectory([
    { userid: 'zhangwei', name: '张伟', department: [1] }, { userid: 'lina', name: '李娜', department: [1] }, { userid: 'wangjl', name: '王经理', department: [1] },
  ]);
});
afterEach(async () => {
  await w.close();
  await t.close();
});

describe('WeCom one-tap tasks for contact-me customers', () => {
  it('turns a delivery reminder into a template the consultant confirms, shows it confirmed, chases the other once and reports it to the manager once', async () => {
    const zhang = await staffWithWecom('张伟', 'zhangwei', 'CONSULTANT');
    const li = await staffWithWecom('李娜', 'lina', 'CONSULTANT');
    await staffWithWecom('王经理', 'wangjl', 'MANAGER');
    const hanId = await contactMeCustomer('韩梅梅', '+8613900000001', 'wmHan', 'zhangwei');
    const liId = await contactMeCustomer('李雷', '+8613900000002', 'wmLei', 'lina');
    const deliveryAt = new Date('2026-11-27T06:00:00Z'); // Friday 14:00 Shanghai: the 72 h reminder is due Tuesday 14:00
    await recordOrder(t.ctx.db, t.clock, admin(), { customerId: hanId, model: '城市SUV', deliveryAt, consultantId: zhang });
    await recordOrder(t.ctx.db, t.clock, admin(), { customerId: liId, model: '城市SUV', deliveryAt, consultantId: li });
    const reminderText = async (customerId: string) => (JSON.parse((await t.ctx.db.messageIntent.findFirstOrThrow({ where: { customerId, kind: 'delivery_reminder_72h' } })).payload) as { text: string }).text;

    await tick('2026-11-24T06:00:00Z'); // Tue 14:00: the reminders fall due; WeCom cannot push to contact-me customers
    await tick('2026-11-24T06:05:00Z'); // the next look makes the templates
    const templates = [...w.fake.templates.tasks.values()];
    expect(templates).toHaveLength(2);
    const forHan = w.fake.templates.forCustomer('wmHan');
    expect(forHan).toMatchObject([{ sender: 'zhangwei', externalUserIds: ['wmHan'], text: await reminderText(hanId) }]);
    expect(w.fake.templates.forCustomer('wmLei')).toMatchObject([{ sender: 'lina', externalUserIds: ['wmLei'], text: await reminderText(liId) }]);
    // The consultant's app message carries the ready text, as the journey rendered it, and the one tap.
    expect(appTexts('zhangwei')).toEqual([expect.stringContaining('群发助手')]);
    expect(appTexts('zhangwei')[0]).toContain(await reminderText(hanId));
    expect(appTexts('lina')).toHaveLength(1);

    w.fake.templates.confirm(forHan[0]?.msgid ?? '');
    await tick('2026-11-24T06:10:00Z');
    expect(await row('韩梅梅')).toMatchObject({ state: 'CONFIRMED', confirmedAt: new Date('2026-11-24T06:05:00Z') });
    expect((await t.ctx.db.staffTask.findUniqueOrThrow({ where: { id: (await row('韩梅梅')).staffTaskId } })).doneAt).not.toBeNull();
    const page = async () => (await w.app.inject({ method: 'GET', url: '/admin/outbox', cookies: { sc_staff: await signIn(t, t.setup.adminStaffId) } })).body;
    expect(await page()).toMatch(/data-state="CONFIRMED"><strong>已确认发送<\/strong> · 韩梅梅/);
    expect(await page()).toMatch(/data-state="WAITING"><strong>等待顾问确认<\/strong> · 李雷/);

    await tick('2026-11-24T09:55:00Z'); // 17:55: 3 h 55 min after the ask, nothing yet
    expect(appTexts('lina')).toHaveLength(1);
    await tick('2026-11-24T10:05:00Z'); // 18:05: chased once
    await tick('2026-11-24T10:10:00Z');
    expect(appTexts('lina')).toEqual([expect.stringContaining('群发助手'), expect.stringContaining('【提醒】')]);
    await tick('2026-11-24T14:10:00Z'); // 22:10: 4 h after the reminder, but after staff hours: not yet
    expect(appTexts('wangjl')).toEqual([]);
    await tick('2026-11-25T00:30:00Z'); // Wed 08:30: reported to the manager
    await tick('2026-11-25T00:35:00Z');
    await tick('2026-11-25T04:35:00Z');
    expect(appTexts('wangjl')).toEqual([expect.stringMatching(/【待办未完成】销售顾问李娜.*李雷/)]);
    expect(appTexts('lina')).toHaveLength(2);
    expect(appTexts('zhangwei')).toHaveLength(1); // the confirmed one was never chased
    expect(await row('李雷')).toMatchObject({ state: 'WAITING', chasedAt: new Date('2026-11-24T10:05:00Z'), reportedAt: new Date('2026-11-25T00:30:00Z') });
    expect(await page()).toContain('已上报经理');
    expect(await page()).toContain('【待办未完成】销售顾问李娜');
    expect(await t.ctx.db.auditEntry.findMany({ where: { action: { startsWith: 'wecom_template.' } }, select: { action: true }, orderBy: { at: 'asc' } }))
      .toEqual(['created', 'created', 'confirmed', 'chased', 'reported'].map((a) => ({ action: `wecom_template.${a}` })));
    expect(w.fake.templates.tasks.size).toBe(2);
    expect(w.fake.violations).toEqual([]);

    // Sent after all: confirmed, and the manager's alert resolved.
    w.fake.templates.confirm(w.fake.templates.forCustomer('wmLei')[0]?.msgid ?? '');
    await tick('2026-11-25T04:40:00Z');
    expect(await row('李雷')).toMatchObject({ state: 'CONFIRMED' });
    expect(await t.ctx.db.alert.count({ where: { kind: 'task_unconfirmed', resolvedAt: null } })).toBe(0);
  });

  it('leaves the task to forward by hand when the customer is not the consultant\'s WeCom contact, and tells them why', async () => {
    const zhang = await staffWithWecom('张伟', 'zhangwei', 'CONSULTANT');
    const customerId = await contactMeCustomer('韩梅梅', '+8613900000001', 'wmHan', 'lina'); // added 李娜, not 张伟
    await recordOrder(t.ctx.db, t.clock, admin(), { customerId, model: '城市SUV', deliveryAt: new Date('2026-11-27T06:00:00Z'), consultantId: zhang });
    await tick('2026-11-24T06:00:00Z');
    await tick('2026-11-24T06:05:00Z');
    expect(await row('韩梅梅')).toMatchObject({ state: 'FAILED', msgid: null });
    expect(appTexts('zhangwei')).toEqual([expect.stringContaining('【请转达给客户】')]);
    expect(await t.ctx.db.staffTask.count({ where: { doneAt: null } })).toBe(1);
    expect(w.fake.templates.tasks.size).toBe(1); // WeCom made it for nobody (fail_list); never made again
    await tick('2026-11-24T06:10:00Z');
    expect(w.fake.templates.tasks.size).toBe(1);
  });

  it('tells the consultant to forward by hand when WeCom could not deliver the confirmed template, and stops looking after 7 days', async () => {
    const zhang = await staffWithWecom('张伟', 'zhangwei', 'CONSULTANT');
    const hanId = await contactMeCustomer('韩梅梅', '+8613900000001', 'wmHan', 'zhangwei');
    const leiId = await contactMeCustomer('李雷', '+8613900000002', 'wmLei', 'zhangwei');
    for (const customerId of [hanId, leiId]) await recordOrder(t.ctx.db, t.clock, admin(), { customerId, model: '城市SUV', deliveryAt: new Date('2026-11-27T06:00:00Z'), consultantId: zhang });
    await tick('2026-11-24T06:00:00Z');
    await tick('2026-11-24T06:05:00Z');
    w.fake.contacts.customerDeletes({ userId: 'zhangwei', externalUserId: 'wmHan' });
    w.fake.templates.confirm(w.fake.templates.forCustomer('wmHan')[0]?.msgid ?? '');
    await tick('2026-11-24T06:10:00Z');
    expect(await row('韩梅梅')).toMatchObject({ state: 'FAILED', error: '客户已不是您的企业微信好友' });
    expect(appTexts('zhangwei').filter((text) => text.startsWith('【请转达给客户】'))).toEqual([expect.stringContaining('客户已不是您的企业微信好友')]);
    for (let day = 0; day < 8; day += 1) await tick(new Date(Date.parse('2026-11-24T06:15:00Z') + day * 86_400_000).toISOString());
    expect(await row('李雷')).toMatchObject({ state: 'LAPSED' });
    const looks = w.fake.calls.filter((call) => call === 'externalcontact/get_groupmsg_send_result').length;
    await tick('2026-12-03T06:15:00Z');
    expect(w.fake.calls.filter((call) => call === 'externalcontact/get_groupmsg_send_result')).toHaveLength(looks);
    expect(await t.ctx.db.messageIntent.count({ where: { kind: 'task_chase' } })).toBe(1); // 李雷 only; 韩梅梅's had failed
    expect(await t.ctx.db.messageIntent.count({ where: { kind: 'task_report' } })).toBe(1); // the store's one manager-level staff
    expect(await t.ctx.db.staffTask.count({ where: { doneAt: null, kind: 'forward:delivery_reminder_72h' } })).toBe(2); // both still to forward by hand
    // The 24 h reminders became tasks too, but only after a day of daily looks: stale by then, so no template.
    expect(await t.ctx.db.staffTask.count({ where: { kind: 'forward:delivery_reminder_24h' } })).toBe(2);
    expect(w.fake.templates.tasks.size).toBe(2);
    expect(w.fake.violations).toEqual([]);
  });
});
