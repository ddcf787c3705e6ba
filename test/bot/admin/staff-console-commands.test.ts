// Every staff command on the web staff console, end to end over HTTP: a valid use (and what it
// changed), a mistaken use (the correct form and an example), and an unauthorized use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let li: { id: string; cookie: string };
let zhang: { id: string; cookie: string };
let boss: { id: string; cookie: string };

async function staff(name: string, role: 'CONSULTANT' | 'MANAGER', onDuty = true) {
  const id = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role, onDuty } })).id;
  return { id, cookie: await signIn(t, id) };
}
async function register(phone: string) {
  const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: `客户${phone.slice(-2)}`, phone, modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true } });
  expect(response.statusCode).toBe(201);
}
async function say(who: { cookie: string }, text: string): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/admin/console/messages', payload: { text }, cookies: { sc_staff: who.cookie } });
  expect(response.statusCode).toBe(200);
  return response.json<{ reply: string }>().reply;
}
const lead = (phone: string) => t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: `+86${phone}` } } });
const expectForm = (reply: string, example: string) => {
  expect(reply).toContain('格式不对');
  expect(reply).toContain('正确格式');
  expect(reply).toContain(`例如：${example}`);
};

beforeEach(async () => {
  t = await createTestApp();
  li = await staff('李顾问', 'CONSULTANT');
  boss = await staff('王经理', 'MANAGER');
  await register('13800000001'); // dealt to 李 (the only consultant on duty)
  zhang = await staff('张顾问', 'CONSULTANT', false);
});
afterEach(async () => {
  await t.close();
});

describe('consultant commands on the console', () => {
  it('帮助: consultants see their commands, managers also the manager commands', async () => {
    const help = await say(li, '帮助');
    expect(help).toContain('跟进 <编号或手机号>');
    expect(help).toContain('战败 <编号或手机号>');
    expect(help).not.toContain('批准');
    expect(await say(boss, '/help')).toContain('批准 <待审编号或手机号>');
    expect(await say(li, '帮我看看')).toContain('发送“帮助”');
  });

  it('今日: lists the consultant\'s own leads, numbered; another consultant sees none of them', async () => {
    expect(await say(li, '今日')).toMatch(/1\. 客户01 138\*\*\*\*0001 N级/);
    expect(await say(zhang, '/today')).toBe('今天没有待跟进的客户');
  });

  it('跟进: logs a follow-up; a mistake gets the form; another consultant\'s lead is refused', async () => {
    expect(await say(li, '跟进 1 电话 A 约周六来店试驾 2026-11-28 10:00')).toContain('已记录客户01（138****0001）的电话跟进：A级，下次跟进 11月28日 10:00');
    expect(await lead('13800000001')).toMatchObject({ grade: 'A', nextFollowUpAt: new Date('2026-11-28T02:00:00Z') });
    expectForm(await say(li, '跟进 1 飞鸽 A 约了'), '跟进 3 电话 A 约周六来店试驾 2026-11-28 10:00');
    expect(await say(zhang, '跟进 13800000001 电话 B 抢单')).toBe('这位客户不是您负责的，不能操作');
    expect(await t.ctx.db.followUp.count()).toBe(1);
  });

  it('定级: re-grades; a bad grade gets the form; another consultant\'s lead is refused', async () => {
    expect(await say(li, '定级 1 H')).toContain('定为 H级');
    expect((await lead('13800000001')).grade).toBe('H');
    expectForm(await say(li, '定级 1 Z'), '定级 3 H');
    expect(await say(zhang, '定级 13800000001 C')).toBe('这位客户不是您负责的，不能操作');
    expect((await lead('13800000001')).grade).toBe('H');
  });

  it('订单 and 交车: record the order, then the delivery; mistakes get the form; others are refused', async () => {
    expectForm(await say(li, '订单 1 汉EV 明天'), '订单 3 汉EV 2026-12-20 14:00');
    expect(await say(zhang, '订单 13800000001 汉EV 2026-12-20 14:00')).toBe('这位客户不是您负责的，不能操作');
    expect(await say(li, '订单 1 汉EV 2026-12-20 14:00')).toContain('交车时间 2026年12月20日 14:00');
    expect((await lead('13800000001')).grade).toBe('O');
    expectForm(await say(li, '交车 13800000001 今天'), '交车 3');
    expect(await say(zhang, '交车 13800000001')).toBe('这位客户不是您负责的，不能操作');
    t.clock.set('2026-12-20T07:00:00Z');
    li.cookie = await signIn(t, li.id); // a session lasts 12 hours
    expect(await say(li, '交车 13800000001')).toContain('已确认客户01（138****0001）交车');
    expect((await lead('13800000001')).grade).toBe('D');
  });

  it('战败: requests lost; a mistake gets the form; another consultant\'s lead is refused', async () => {
    expectForm(await say(li, '战败 1 5 不买了'), '战败 3 2 已在别家买了 竞品 Model Y');
    expect(await say(zhang, '战败 13800000001 2 买了别家')).toBe('这位客户不是您负责的，不能操作');
    expect(await say(li, '战败 1 2 已在别家买了 竞品 Model Y')).toContain('已提交客户01（138****0001）的战败申请（2级：已在别处购车）');
    expect(await t.ctx.db.lostRequest.findFirstOrThrow()).toMatchObject({ level: 2, reason: '已在别家买了', competitorModel: 'Model Y', status: 'PENDING' });
    expect(await say(li, '战败 1 2 再申请一次')).toBe('这位客户已有一条战败申请在等经理审批');
  });
});

describe('manager commands on the console', () => {
  beforeEach(async () => {
    expect(await say(li, '战败 13800000001 2 已在别家买了')).toContain('等待经理审批');
  });

  it('待审: managers see the pending requests; consultants are refused', async () => {
    expect(await say(boss, '待审')).toMatch(/1\. 客户01（138\*\*\*\*0001） 2级（已在别处购车）：已在别家买了（李顾问/);
    expect(await say(li, '待审')).toBe('只有经理可以查看待审批的战败申请');
  });

  it('批准: approves by list number; a mistake gets the form; consultants are refused', async () => {
    expect(await say(li, '批准 1')).toBe('只有经理可以审批战败申请');
    expectForm(await say(boss, '批准'), '批准 1');
    expect(await say(boss, '批准 2')).toContain('待审列表只有 1 位客户');
    expect(await say(boss, '批准 1')).toContain('已批准：客户01（138****0001）定为战败（2级：已在别处购车），客户关怀照常进行');
    expect(await lead('13800000001')).toMatchObject({ grade: 'F', lostLevel: 2 });
    expect(await say(boss, '待审')).toBe('没有待审批的战败申请');
  });

  it('驳回: rejects by phone with a grade and a date; mistakes get the form; consultants are refused', async () => {
    expect(await say(li, '驳回 13800000001 B 2026-12-01')).toBe('只有经理可以审批战败申请');
    expectForm(await say(boss, '驳回 13800000001 B 下周'), '驳回 1 B 2026-12-01 客户还在比较，继续跟');
    expect(await say(boss, '驳回 13800000001 B 2026-12-01 10:30 再约一次试驾')).toContain('已驳回：客户01（138****0001）退回顾问继续跟进，B级，下次跟进 12月1日 10:30');
    expect(await lead('13800000001')).toMatchObject({ grade: 'B', nextFollowUpAt: new Date('2026-12-01T02:30:00Z') });
    expect((await t.ctx.db.lostRequest.findFirstOrThrow()).decisionNote).toBe('再约一次试驾');
  });

  it('转交: reassigns by phone to a consultant named; mistakes get the form or say what is wrong; consultants are refused', async () => {
    expect(await say(li, '转交 13800000001 张顾问')).toBe('只有经理可以转交客户');
    expectForm(await say(boss, '转交 13800000001'), '转交 1 张伟');
    expect(await say(boss, '转交 13800000001 赵顾问')).toBe('本店没有在职顾问叫“赵顾问”，请核对姓名');
    expect(await say(boss, '转交 13800000001 李顾问')).toBe('这位客户已经是这位顾问负责的');
    expect(await say(boss, '转交 13800000001 张顾问')).toBe('已将客户01（138****0001）转给 张顾问，已通知对方。');
    expect((await lead('13800000001')).ownerStaffId).toBe(zhang.id);
    expect(await say(zhang, '今日')).toContain('客户01');
  });

  it('久未成交 and 转交 by its number: managers see stale leads and hand them over; consultants are refused', async () => {
    expect(await say(boss, '久未成交')).toBe('没有待转交的久未成交客户');
    await t.ctx.db.lead.updateMany({ data: { staleFlaggedAt: t.clock.now() } });
    expect(await say(li, '/stale')).toBe('只有经理可以查看久未成交的客户');
    expect(await say(boss, '久未成交')).toMatch(/1\. 客户01（138\*\*\*\*0001） N级，顾问 李顾问/);
    expect(await say(boss, '转交 2 张顾问')).toContain('久未成交列表只有 1 位客户');
    expect(await say(boss, '转交 1 张顾问')).toBe('已将客户01（138****0001）转给 张顾问，已通知对方。');
    expect(await lead('13800000001')).toMatchObject({ ownerStaffId: zhang.id, staleFlaggedAt: null });
    expect(await say(boss, '久未成交')).toBe('没有待转交的久未成交客户');
  });

  it('a manager of another store can neither see nor decide this store\'s requests', async () => {
    const store = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
    const other = await t.ctx.db.store.create({ data: { groupId: store.groupId, name: '二店', timeZone: 'Asia/Shanghai' } });
    const outsiderId = (await t.ctx.db.staff.create({ data: { storeId: other.id, name: '外店经理', role: 'MANAGER' } })).id;
    const outsider = { id: outsiderId, cookie: await signIn(t, outsiderId) };
    expect(await say(outsider, '待审')).toBe('没有待审批的战败申请');
    expect(await say(outsider, '批准 13800000001')).toBe('本店没有手机号 138****0001 的客户');
    expect(await say(outsider, '转交 13800000001 张顾问')).toBe('本店没有手机号 138****0001 的客户');
    expect((await t.ctx.db.lostRequest.findFirstOrThrow()).status).toBe('PENDING');
  });
});
