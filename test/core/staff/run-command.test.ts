import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeadActor } from '../../../core/leads/log-follow-up.ts';
import { runStaffCommand } from '../../../core/staff/run-command.ts';
import { todayList } from '../../../core/staff/today-list.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const DAY = 24 * 3600_000;

describe('staff commands', () => {
  let t: TestApp;
  let li: LeadActor;
  let wang: LeadActor;
  let manager: LeadActor;

  beforeEach(async () => {
    t = await createTestApp();
    const staff = (name: string, role: 'CONSULTANT' | 'MANAGER', onDuty = true) =>
      t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role, onDuty } });
    const as = (s: { id: string }, role: LeadActor['role']): LeadActor => ({ staffId: s.id, storeId: t.setup.storeId, role });
    li = as(await staff('李顾问', 'CONSULTANT'), 'CONSULTANT');
    wang = as(await staff('王顾问', 'CONSULTANT', false), 'CONSULTANT');
    manager = as(await staff('赵经理', 'MANAGER'), 'MANAGER');
  });
  afterEach(async () => {
    await t.close();
  });

  /** Registers a walk-in; every lead goes to 李顾问, the only consultant on duty. */
  const register = async (phone: string, name: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name, phone, modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true } });
    expect(res.statusCode).toBeLessThan(300);
    t.clock.advance(60_000);
  };
  const leadOf = (phone: string) => t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone } } });
  const run = async (actor: LeadActor, text: string) => (await runStaffCommand(t.ctx.db, t.clock, actor, text)).reply;
  const threeCustomers = async () => {
    await register('13800000001', '张三');
    await register('13800000002', '李四');
    await register('13800000003', '王五');
  };

  it('answers help, unknown text and mistakes', async () => {
    const help = await run(li, '帮助');
    for (const word of ['今日', '跟进', '定级', '订单', '交车', '例如']) expect(help).toContain(word);
    expect(await run(li, '/help')).toBe(help);
    expect(await run(li, '你好')).toBe('没看懂这条命令。发送“帮助”查看可用命令。');
    expect(await run(li, '跟进 1 传真 A 发了资料')).toBe(
      '格式不对：跟进方式“传真”不对，可用：电话、到店、微信、试驾（或 call、visit、chat、test_drive）\n'
      + '正确格式：跟进 <编号或手机号> <方式> <级别> <跟进内容> [下次跟进 YYYY-MM-DD 或 YYYY-MM-DD HH:MM]\n'
      + '例如：跟进 3 电话 A 约周六来店试驾 2026-11-28 10:00',
    );
  });

  it('lists today\'s leads, overdue first, numbered from 1, only the actor\'s own', async () => {
    expect(await run(li, '今日')).toBe('今天没有待跟进的客户');
    await threeCustomers();
    await register('13800000004', '赵六');
    const now = t.clock.now();
    // 王五 is overdue; 赵六 is graded B and due in a week, so not today.
    await t.ctx.db.lead.update({ where: { id: (await leadOf('+8613800000003')).id }, data: { grade: 'A', gradedAt: now, nextFollowUpAt: new Date(now.getTime() - DAY) } });
    await t.ctx.db.lead.update({ where: { id: (await leadOf('+8613800000004')).id }, data: { grade: 'B', gradedAt: now, nextFollowUpAt: new Date(now.getTime() + 7 * DAY) } });
    const list = await todayList(t.ctx.db, t.clock, li);
    expect(list.map((i) => [i.customerName, i.maskedPhone, i.grade, i.overdue])).toEqual([
      ['王五', '138****0003', 'A', true],
      ['张三', '138****0001', 'N', false],
      ['李四', '138****0002', 'N', false],
    ]);
    const reply = await run(li, '/today');
    expect(reply.split('\n').slice(0, 4)).toEqual([
      '今日待跟进（3）',
      '1. 王五 138****0003 A级 已逾期，应于11月21日 10:04',
      '2. 张三 138****0001 N级（待定级） 11月23日 10:00',
      '3. 李四 138****0002 N级（待定级） 11月23日 10:01',
    ]);
    expect(reply).not.toContain('赵六');
    expect(await run(wang, '今天')).toBe('今天没有待跟进的客户');
  });

  it('logs a follow-up by list number, with the cadence\'s next date', async () => {
    await threeCustomers();
    const reply = await run(li, '跟进 2 电话 A 约周六来店试驾');
    const lead = await leadOf('+8613800000002');
    expect(lead.grade).toBe('A');
    expect(lead.nextFollowUpAt?.getTime()).toBe(t.clock.now().getTime() + 3 * DAY);
    expect(reply).toBe('已记录李四（138****0002）的电话跟进：A级，下次跟进 11月25日 10:03');
    expect(await t.ctx.db.followUp.findFirstOrThrow()).toMatchObject({ leadId: lead.id, staffId: li.staffId, way: 'call', note: '约周六来店试驾', gradeBefore: 'N', gradeAfter: 'A' });
  });

  it('logs a follow-up by phone with a chosen next date, in the store\'s time zone', async () => {
    await threeCustomers();
    expect(await run(li, '跟进 138 0000 0003 到店 H 看了汉EV 2026-11-24 15:00')).toContain('王五（138****0003）的到店跟进：H级，下次跟进 11月24日 15:00');
    expect((await leadOf('+8613800000003')).nextFollowUpAt).toEqual(new Date('2026-11-24T07:00:00Z'));
    // A date alone means the start of staff hours (08:30).
    await run(li, '/followup 13800000001 chat B sent the brochure next 2026-11-30');
    expect((await leadOf('+8613800000001')).nextFollowUpAt).toEqual(new Date('2026-11-30T00:30:00Z'));
  });

  it('refuses follow-ups it cannot record, in Chinese', async () => {
    await threeCustomers();
    expect(await run(li, '跟进 9 电话 A 约了')).toBe('今日列表只有 3 位客户，没有第 9 位；发送“今日”查看最新编号');
    expect(await run(wang, '跟进 1 电话 A 约了')).toBe('今日列表是空的，没有第 1 位客户；可以直接写客户手机号');
    expect(await run(wang, '跟进 13800000001 电话 A 约了')).toBe('这位客户不是您负责的，不能操作');
    expect(await run(li, '跟进 13900000009 电话 A 约了')).toBe('本店没有手机号 139****0009 的客户');
    expect(await run(li, '跟进 1 电话 A 约了 2026-11-21')).toBe('下次跟进时间必须晚于现在');
    expect(await t.ctx.db.followUp.count()).toBe(0);
    expect(await run(manager, '跟进 13800000001 电话 B 经理回访')).toContain('B级');
    expect(await t.ctx.db.followUp.count()).toBe(1);
  });

  it('re-grades a lead without recording a follow-up', async () => {
    await threeCustomers();
    expect(await run(li, '定级 1 H')).toBe('已将张三（138****0001）定为 H级，下次跟进 11月23日 10:03');
    const lead = await leadOf('+8613800000001');
    expect(lead).toMatchObject({ grade: 'H', gradedAt: t.clock.now() });
    expect(await t.ctx.db.followUp.count()).toBe(0);
    expect(await run(wang, '/grade 13800000002 A')).toBe('这位客户不是您负责的，不能操作');
    expect((await leadOf('+8613800000002')).grade).toBe('N');
    expect(await run(li, '定级 1 O')).toMatch(/^格式不对：级别“O”不对/);
    expect(await run(manager, '定级 13800000002 c')).toContain('C级');
  });

  it('records an order in the store\'s time zone and marks the lead O', async () => {
    await threeCustomers();
    expect(await run(li, '订单 3 汉EV 2026-11-20 14:00')).toBe('交车时间必须晚于现在');
    expect(await run(wang, '订单 13800000003 汉EV 2026-12-20 14:00')).toBe('这位客户不是您负责的，不能操作');
    expect(await t.ctx.db.order.count()).toBe(0);
    expect(await run(li, '订单 3 汉EV 2026-12-20 14:00')).toBe('已为王五（138****0003）登记订单：汉EV，交车时间 2026年12月20日 14:00。客户已转为 O级（已下单），交车提醒会自动安排。');
    const lead = await leadOf('+8613800000003');
    expect(await t.ctx.db.order.findFirstOrThrow()).toMatchObject({ customerId: lead.customerId, model: '汉EV', deliveryAt: new Date('2026-12-20T06:00:00Z'), consultantId: li.staffId, status: 'ORDERED' });
    expect(lead).toMatchObject({ grade: 'O', nextFollowUpAt: null });
    expect(await run(li, '/order 3')).toMatch(/^格式不对：缺少车型和交车时间\n正确格式：\/order /);
  });

  it('marks the open order delivered and the lead D', async () => {
    await threeCustomers();
    expect(await run(li, '交车 13800000001')).toBe('张三（138****0001）没有待交车的订单，请先用“订单”命令登记');
    await run(li, '订单 13800000001 Model Y 2026-12-01 10:00');
    expect(await run(wang, '交车 13800000001')).toBe('这位客户不是您负责的，不能操作');
    expect((await t.ctx.db.order.findFirstOrThrow()).status).toBe('ORDERED');
    expect(await run(li, '/delivered 13800000001')).toBe('已确认张三（138****0001）交车：Model Y。客户已转为 D级（已交车），交车后的关怀会自动安排。');
    expect(await t.ctx.db.order.findFirstOrThrow()).toMatchObject({ status: 'DELIVERED', deliveredAt: t.clock.now() });
    expect(await leadOf('+8613800000001')).toMatchObject({ grade: 'D', nextFollowUpAt: null });
    expect(await run(li, '交车 13800000001')).toContain('没有待交车的订单');
  });
});
