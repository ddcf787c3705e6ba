import { describe, expect, it } from 'vitest';
import { parseStaffCommand, type ParsedCommand } from '../../../core/staff/parse-command.ts';

const n = (num: number) => ({ by: 'number', n: num }) as const;
const phone = { by: 'phone', phone: '+8613800000001' } as const;

describe('parseStaffCommand', () => {
  it.each<[string, ParsedCommand]>([
    ['/help', { kind: 'help' }],
    ['帮助', { kind: 'help' }],
    ['  /HELP  ', { kind: 'help' }],
    ['/today', { kind: 'today' }],
    ['今日', { kind: 'today' }],
    ['今天', { kind: 'today' }],
    ['／today', { kind: 'today' }],
    ['/followup 3 call A 约周六试驾', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: '约周六试驾' }],
    ['跟进 12 电话 h 客户想要白色', { kind: 'follow_up', lead: n(12), way: 'call', grade: 'H', note: '客户想要白色' }],
    ['跟进 1 到店 B 看了 汉EV 和 唐DM', { kind: 'follow_up', lead: n(1), way: 'visit', grade: 'B', note: '看了 汉EV 和 唐DM' }],
    ['跟进 1 微信 C 暂不考虑', { kind: 'follow_up', lead: n(1), way: 'chat', grade: 'C', note: '暂不考虑' }],
    ['/followup 1 test_drive N 试驾了', { kind: 'follow_up', lead: n(1), way: 'test_drive', grade: 'N', note: '试驾了' }],
    ['跟进 2 试驾 A级 很满意', { kind: 'follow_up', lead: n(2), way: 'test_drive', grade: 'A', note: '很满意' }],
    ['跟进 13800000001 电话 A 约周六', { kind: 'follow_up', lead: phone, way: 'call', grade: 'A', note: '约周六' }],
    ['跟进 138 0000 0001 电话 A 约周六', { kind: 'follow_up', lead: phone, way: 'call', grade: 'A', note: '约周六' }],
    ['跟进 +86-138-0000-0001 电话 A 约周六', { kind: 'follow_up', lead: phone, way: 'call', grade: 'A', note: '约周六' }],
    ['跟进 １３８００００００01 电话 A 约周六', { kind: 'follow_up', lead: phone, way: 'call', grade: 'A', note: '约周六' }],
    ['跟进 #4 电话 A 约周六', { kind: 'follow_up', lead: n(4), way: 'call', grade: 'A', note: '约周六' }],
    ['跟进 3 电话 A 约周六试驾 2026-11-28', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: '约周六试驾', next: { date: '2026-11-28', time: null } }],
    ['跟进 3 电话 A 约周六试驾 2026-11-28 9:30', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: '约周六试驾', next: { date: '2026-11-28', time: '09:30' } }],
    ['/followup 3 call A call back next 2026/12/1 14:00', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: 'call back', next: { date: '2026-12-01', time: '14:00' } }],
    ['跟进 3 电话 A 再联系 下次 2026-11-28', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: '再联系', next: { date: '2026-11-28', time: null } }],
    ['跟进 3 电话 A 说 2026-12-01 提车 可以吗', { kind: 'follow_up', lead: n(3), way: 'call', grade: 'A', note: '说 2026-12-01 提车 可以吗' }],
    ['/grade 3 H', { kind: 'grade', lead: n(3), grade: 'H' }],
    ['定级 13800000001 c', { kind: 'grade', lead: phone, grade: 'C' }],
    ['/order 3 汉EV 2026-12-20 14:00', { kind: 'order', lead: n(3), model: '汉EV', deliveryAt: { date: '2026-12-20', time: '14:00' } }],
    ['订单 138 0000 0001 Model Y 长续航 2026-12-20 9:05', { kind: 'order', lead: phone, model: 'Model Y 长续航', deliveryAt: { date: '2026-12-20', time: '09:05' } }],
    ['/delivered 3', { kind: 'delivered', lead: n(3) }],
    ['交车 13800000001', { kind: 'delivered', lead: phone }],
    ['战败 3 2 已在别家买了 竞品 Model Y 长续航', { kind: 'lost', lead: n(3), level: 2, reason: '已在别家买了', competitorModel: 'Model Y 长续航' }],
    ['/lost 13800000001 1 空号', { kind: 'lost', lead: phone, level: 1, reason: '空号' }],
    ['战败 3 3级 明年再说', { kind: 'lost', lead: n(3), level: 3, reason: '明年再说' }],
    ['待审', { kind: 'pending' }],
    ['/pending', { kind: 'pending' }],
    ['批准 1', { kind: 'approve', lead: n(1) }],
    ['/approve 13800000001 核实过了', { kind: 'approve', lead: phone, note: '核实过了' }],
    ['驳回 1 B 2026-12-01', { kind: 'reject', lead: n(1), grade: 'B', next: { date: '2026-12-01', time: null } }],
    ['/reject 13800000001 a 2026/12/1 9:30 再约试驾', { kind: 'reject', lead: phone, grade: 'A', next: { date: '2026-12-01', time: '09:30' }, note: '再约试驾' }],
    ['转交 13800000001 张伟', { kind: 'reassign', lead: phone, consultantName: '张伟' }],
    ['/reassign 2 Li Wei', { kind: 'reassign', lead: n(2), consultantName: 'Li Wei' }],
    ['久未成交', { kind: 'stale' }],
    ['/stale', { kind: 'stale' }],
    ['新线索 王芳 138 0000 0001 电话', { kind: 'add_lead', name: '王芳', phone: '+8613800000001', source: 'phone', grade: 'N', model: '', serviceConsent: false }],
    ['新线索 王芳 13800000001 网络 a级 城市 SUV 同意 下次 2026-11-28 10:00', { kind: 'add_lead', name: '王芳', phone: '+8613800000001', source: 'online', grade: 'A', model: '城市 SUV', serviceConsent: true, next: { date: '2026-11-28', time: '10:00' } }],
    ['/newlead Amy +86-138-0000-0001 referral H', { kind: 'add_lead', name: 'Amy', phone: '+8613800000001', source: 'referral', grade: 'H', model: '', serviceConsent: false }],
  ])('reads %j', (text, expected) => {
    expect(parseStaffCommand(text)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['新线索', 'add_lead', /缺少客户姓名/],
    ['新线索 王芳 12345 电话', 'add_lead', /“12345”不是有效的手机号/],
    ['新线索 王芳 13800000001', 'add_lead', /缺少来源/],
    ['新线索 王芳 13800000001 路过', 'add_lead', /来源“路过”不对/],
    ['跟进', 'follow_up', /缺少客户/],
    ['跟进 3', 'follow_up', /缺少跟进方式/],
    ['跟进 3 传真 A 发了资料', 'follow_up', /跟进方式“传真”不对/],
    ['跟进 3 电话', 'follow_up', /缺少级别/],
    ['跟进 3 电话 F 不买了', 'follow_up', /级别“F”不对/],
    ['跟进 3 电话 A', 'follow_up', /缺少跟进内容/],
    ['跟进 3 电话 A 2026-11-28', 'follow_up', /缺少跟进内容/],
    ['跟进 3 电话 A 约了 2026-13-01', 'follow_up', /下次跟进日期“2026-13-01”不对/],
    ['跟进 3 电话 A 约了 2026-11-28 25:00', 'follow_up', /下次跟进时间“25:00”不对/],
    ['跟进 3 电话 A 约了 下次', 'follow_up', /“下次”后面要写日期/],
    ['跟进 张三 电话 A 约了', 'follow_up', /“张三”既不是今日列表里的编号，也不是手机号/],
    ['跟进 12345 电话 A 约了', 'follow_up', /既不是/],
    ['跟进 0 电话 A 约了', 'follow_up', /编号从 1 开始/],
    ['/grade', 'grade', /缺少客户/],
    ['/grade 3', 'grade', /缺少级别/],
    ['定级 3 O', 'grade', /级别“O”不对/],
    ['定级 3 A 客户很积极', 'grade', /多了“客户很积极”/],
    ['/order 3', 'order', /缺少车型和交车时间/],
    ['战败 3', 'lost', /缺少战败级别/],
    ['战败 3 4 不买了', 'lost', /战败级别“4”不对/],
    ['战败 3 2', 'lost', /缺少原因/],
    ['战败 3 2 买了别家 竞品', 'lost', /“竞品”后面要写车型/],
    ['批准', 'approve', /缺少客户/],
    ['驳回 1', 'reject', /缺少退回后的级别/],
    ['驳回 1 F 2026-12-01', 'reject', /级别“F”不对/],
    ['驳回 1 B', 'reject', /缺少下次跟进日期/],
    ['驳回 1 B 下周', 'reject', /下次跟进日期“下周”不对/],
    ['驳回 1 B 2026-12-01 25:00', 'reject', /时间“25:00”不对/],
    ['转交 3', 'reassign', /缺少要转给的顾问姓名/],
    ['/order 3 汉EV', 'order', /缺少交车时间/],
    ['订单 3 汉EV 2026-12-20', 'order', /交车时间不对/],
    ['订单 3 汉EV 2026-02-30 14:00', 'order', /交车时间不对/],
    ['订单 3 2026-12-20 14:00', 'order', /缺少车型/],
    ['/delivered', 'delivered', /缺少客户/],
    ['交车 3 汉EV', 'delivered', /多了“汉EV”/],
  ])('explains the mistake in %j', (text, command, problem) => {
    const parsed = parseStaffCommand(text);
    expect(parsed).toMatchObject({ kind: 'invalid', command });
    if (parsed.kind !== 'invalid') throw new Error('not invalid');
    expect(parsed.problem).toMatch(problem);
    expect(parsed.usage.split(' ')[0]).toBe(text.split(' ')[0]);
    expect(parsed.example.startsWith(`${text.split(' ')[0]} `)).toBe(true);
  });

  it('shows the usage and an example in the form typed', () => {
    expect(parseStaffCommand('/grade 3 Z')).toEqual({
      kind: 'invalid', command: 'grade', problem: '级别“Z”不对，可用：N、H、A、B、C', usage: '/grade <编号或手机号> <级别>', example: '/grade 3 H',
    });
  });

  it.each(['', '   ', '你好', 'help', 'today', '/start', '/follow', '跟进一下', 'followup 3 call A x', '13800000001'])('does not take %j for a command', (text) => {
    expect(parseStaffCommand(text)).toEqual({ kind: 'unknown' });
  });
});
