import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { addLead, NewLeadInvalidError } from '../leads/add-lead.ts';
import { changeGrade, leadForActor, recordLeadOutcome } from '../leads/change-grade.ts';
import { LeadActionError, type LeadActor, type LeadErrorCode, logFollowUp } from '../leads/log-follow-up.ts';
import { markDelivered, OrderInvalidError, type OrderErrorCode, recordOrder } from '../orders/order-service.ts';
import { CommandRefusal, localInstant, nextText, resolveLead, storeOf, who } from './command-support.ts';
import { runApprove, runLost, runPending, runReassign, runReject, runStale } from './manager-commands.ts';
import { parseStaffCommand } from './parse-command.ts';
import { formatTodayList, todayList } from './today-list.ts';
import { may, storeSubject } from './authorization.ts';

const WAY_NAMES = { call: '电话', visit: '到店', chat: '微信', test_drive: '试驾' } as const;

/** What to fix, in Chinese, per reason core gave for refusing a lead action (the console and the lead page say the same). */
export const LEAD_ERRORS: Record<LeadErrorCode, string> = {
  lead_not_found: '没有找到这位客户的线索',
  not_allowed: '这位客户不是您负责的，不能操作',
  way_invalid: '跟进方式不对，可用：电话、到店、微信、试驾',
  note_missing: '请写明跟进内容（1–500 字）',
  grade_not_allowed: '级别只能是 N、H、A、B、C',
  next_in_past: '下次跟进时间必须晚于现在',
  lead_closed: '这位客户已下单、已交车或已战败，不能申请战败',
  lost_pending: '这位客户已有一条战败申请在等经理审批',
  level_invalid: '战败级别只能是 1、2、3',
  reason_invalid: '请写明原因（1–200 字）',
  competitor_invalid: '竞品车型最多 60 字',
  managers_only: '只有经理可以做这个操作',
  request_not_found: '没有找到这条战败申请',
  request_decided: '这条战败申请已经审批过了',
  consultant_invalid: '只能转给本店在职的销售顾问',
  same_owner: '这位客户已经是这位顾问负责的',
};

const ORDER_ERRORS: Record<OrderErrorCode, string> = {
  delivery_invalid: '交车时间不对，如 2026-12-20 14:00',
  delivery_in_past: '交车时间必须晚于现在',
  delivery_before_order: '交车时间必须晚于下单时间',
  delivered_in_future: '交车时间不能在将来',
  delivered_before_order: '交车时间不能早于下单时间',
  order_not_found: '没有找到这张订单',
  order_delivered: '这张订单已经交车了',
  order_cancelled: '这张订单已经取消了',
  reason_missing: '请写明原因',
  model_invalid: '车型要写 1–60 个字',
  customer_not_found: '这位客户在本店没有到店记录，不能登记订单',
  consultant_invalid: '负责这位客户的顾问已停用，请到管理后台登记订单',
  not_allowed: '这位客户由其他顾问负责',
};

const STAFF_HELP = [
  '可用命令（中文或 / 开头的英文都可以）：',
  '今日 —— 查看今天要跟进的客户（带编号）',
  '跟进 <编号或手机号> <方式> <级别> <内容> [下次日期 [时间]]',
  '  例如：跟进 1 电话 A 约周六来店试驾 2026-11-28 10:00',
  '  方式：电话、到店、微信、试驾；级别：N、H、A、B、C',
  '定级 <编号或手机号> <级别>　例如：定级 2 H',
  '订单 <编号或手机号> <车型> <交车日期 时间>　例如：订单 1 汉EV 2026-12-20 14:00',
  '交车 <编号或手机号>　例如：交车 1',
  '战败 <编号或手机号> <级别 1/2/3> <原因> [竞品 <车型>]　例如：战败 2 2 已在别家买了 竞品 Model Y',
  '  级别：1 号码错误或空号，2 已在别处购车，3 暂无需求（经理审批）',
  '新线索 <姓名> <手机号> <来源> [级别] [车型] [同意] [下次日期]　例如：新线索 王芳 13812345678 电话 A 城市SUV 同意',
  '  来电或网络咨询、没有到店的客户；客户在电话里同意接收服务消息时才写“同意”',
  '编号是“今日”列表里的序号；也可以直接写客户手机号。',
];

const MANAGER_HELP = [
  '',
  '经理命令：',
  '待审 —— 查看待审批的战败申请（带编号）',
  '批准 <待审编号或手机号> [说明]　例如：批准 1',
  '驳回 <待审编号或手机号> <级别> <下次跟进日期> [说明]　例如：驳回 1 B 2026-12-01 客户还在比较',
  '久未成交 —— 查看首次到店超过 3 个月仍未成交、待转交的客户（带编号）',
  '转交 <久未成交编号或手机号> <顾问姓名>　例如：转交 1 张伟',
];

/** The help text for this staff member: managers and admins also see the manager commands. */
export function staffHelp(actor: LeadActor): string {
  return [...STAFF_HELP, ...(may(actor, 'lead.manage', storeSubject(actor)) ? MANAGER_HELP : [])].join('\n');
}

const UNKNOWN_HINT = '没看懂这条命令。发送“帮助”查看可用命令。';

/**
 * Runs a staff member's text command (any channel) and returns the reply to send back, in
 * Simplified Chinese. Mistakes and refusals become replies; unexpected errors are thrown.
 */
export async function runStaffCommand(db: Database, clock: Clock, actor: LeadActor, text: string): Promise<{ reply: string }> {
  const command = parseStaffCommand(text);
  try {
    switch (command.kind) {
      case 'help':
        return { reply: staffHelp(actor) };
      case 'unknown':
        return { reply: UNKNOWN_HINT };
      case 'invalid':
        return { reply: `格式不对：${command.problem}\n正确格式：${command.usage}\n例如：${command.example}` };
      case 'today': {
        const store = await storeOf(db, actor.storeId);
        return { reply: formatTodayList(await todayList(db, clock, actor), store.timeZone) };
      }
      case 'follow_up': {
        const lead = await resolveLead(db, clock, actor, command.lead);
        const { timeZone, staffHoursStart } = await storeOf(db, actor.storeId);
        const nextFollowUpAt = command.next ? localInstant(command.next, staffHoursStart, timeZone) : undefined;
        const result = await logFollowUp(db, clock, actor, lead.id, { way: command.way, note: command.note, grade: command.grade, nextFollowUpAt });
        return { reply: `已记录${who(lead)}的${WAY_NAMES[command.way]}跟进：${result.lead.grade}级，${nextText(result.lead.nextFollowUpAt, timeZone)}` };
      }
      case 'grade': {
        const lead = await resolveLead(db, clock, actor, command.lead);
        const { timeZone } = await storeOf(db, actor.storeId);
        const updated = await changeGrade(db, clock, actor, lead.id, { grade: command.grade });
        return { reply: `已将${who(lead)}定为 ${updated.grade}级，${nextText(updated.nextFollowUpAt, timeZone)}` };
      }
      case 'order': {
        const lead = await resolveLead(db, clock, actor, command.lead);
        const { timeZone } = await storeOf(db, actor.storeId);
        await leadForActor(db, actor, lead.id);
        const deliveryAt = localInstant(command.deliveryAt, command.deliveryAt.time, timeZone);
        const consultantId = actor.role === 'CONSULTANT' ? actor.staffId : lead.ownerStaffId;
        const order = await recordOrder(db, clock, actor, { customerId: lead.customerId, model: command.model, deliveryAt, consultantId });
        await recordLeadOutcome(db, clock, actor, lead.id, 'O');
        const when = DateTime.fromJSDate(order.deliveryAt, { zone: timeZone }).toFormat('yyyy年M月d日 HH:mm');
        return { reply: `已为${who(lead)}登记订单：${order.model}，交车时间 ${when}。客户已转为 O级（已下单），交车提醒会自动安排。` };
      }
      case 'delivered': {
        const lead = await resolveLead(db, clock, actor, command.lead);
        await leadForActor(db, actor, lead.id);
        const open = await db.order.findMany({ where: { storeId: actor.storeId, customerId: lead.customerId, status: 'ORDERED' }, orderBy: { deliveryAt: 'asc' } });
        const order = open[0];
        if (!order) throw new CommandRefusal(`${who(lead)}没有待交车的订单，请先用“订单”命令登记`);
        if (open.length > 1) throw new CommandRefusal(`${who(lead)}有 ${open.length} 张待交车的订单，请到管理后台选择要交车的那一张`);
        await markDelivered(db, clock, actor, order.id);
        await recordLeadOutcome(db, clock, actor, lead.id, 'D');
        return { reply: `已确认${who(lead)}交车：${order.model}。客户已转为 D级（已交车），交车后的关怀会自动安排。` };
      }
      case 'lost':
        return { reply: await runLost(db, clock, actor, command) };
      case 'pending':
        return { reply: await runPending(db, actor) };
      case 'approve':
        return { reply: await runApprove(db, clock, actor, command) };
      case 'reject':
        return { reply: await runReject(db, clock, actor, command) };
      case 'stale':
        return { reply: await runStale(db, actor) };
      case 'reassign':
        return { reply: await runReassign(db, clock, actor, command) };
      case 'add_lead': {
        const { timeZone, staffHoursStart } = await storeOf(db, actor.storeId);
        const nextFollowUpAt = command.next ? localInstant(command.next, staffHoursStart, timeZone) : null;
        const result = await addLead(db, clock, actor, { ...command, nextFollowUpAt, ownerStaffId: '' });
        const lead = await db.lead.findUniqueOrThrow({ where: { id: result.leadId }, include: { customer: true } });
        if (result.status === 'existing') return { reply: `${who(lead)}已是本店客户（${result.ownerName ?? '无人负责'}），没有重复登记` };
        const consent = command.serviceConsent ? '已记录客户同意接收服务消息' : '客户尚未同意接收消息：征得同意后请在管理后台勾选，或发送时加“同意”';
        return { reply: `已登记${who(lead)}：${lead.grade}级，${nextText(lead.nextFollowUpAt, timeZone)}。${consent}。` };
      }
      default:
        return command satisfies never;
    }
  } catch (error) {
    if (error instanceof CommandRefusal) return { reply: error.message };
    if (error instanceof LeadActionError) return { reply: LEAD_ERRORS[error.code] };
    if (error instanceof OrderInvalidError) return { reply: ORDER_ERRORS[error.code] };
    if (error instanceof NewLeadInvalidError) return { reply: `未登记：${Object.values(error.fields).join('')}` };
    throw error;
  }
}
