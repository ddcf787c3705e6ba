import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { maskPhone } from '../customers/phone.ts';
import { changeGrade, leadForActor, recordLeadOutcome } from '../leads/change-grade.ts';
import { LeadActionError, type LeadActor, type LeadErrorCode, logFollowUp } from '../leads/log-follow-up.ts';
import { markDelivered, OrderInvalidError, type OrderErrorCode, recordOrder } from '../orders/order-service.ts';
import { type LeadRef, type LocalDateTime, parseStaffCommand } from './parse-command.ts';
import { formatLocalDueTime, formatTodayList, todayList } from './today-list.ts';

const WAY_NAMES = { call: '电话', visit: '到店', chat: '微信', test_drive: '试驾' } as const;

const LEAD_ERRORS: Record<LeadErrorCode, string> = {
  lead_not_found: '没有找到这位客户的线索',
  not_allowed: '这位客户不是您负责的，不能操作',
  way_invalid: '跟进方式不对，可用：电话、到店、微信、试驾',
  note_missing: '请写明跟进内容（1–500 字）',
  grade_not_allowed: '级别只能是 N、H、A、B、C',
  next_in_past: '下次跟进时间必须晚于现在',
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
};

export const STAFF_HELP = [
  '可用命令（中文或 / 开头的英文都可以）：',
  '今日 —— 查看今天要跟进的客户（带编号）',
  '跟进 <编号或手机号> <方式> <级别> <内容> [下次日期 [时间]]',
  '  例如：跟进 1 电话 A 约周六来店试驾 2026-11-28 10:00',
  '  方式：电话、到店、微信、试驾；级别：N、H、A、B、C',
  '定级 <编号或手机号> <级别>　例如：定级 2 H',
  '订单 <编号或手机号> <车型> <交车日期 时间>　例如：订单 1 汉EV 2026-12-20 14:00',
  '交车 <编号或手机号>　例如：交车 1',
  '编号是“今日”列表里的序号；也可以直接写客户手机号。',
].join('\n');

const UNKNOWN_HINT = '没看懂这条命令。发送“帮助”查看可用命令。';

/** Refusals staff can fix, already in Chinese. */
class CommandRefusal extends Error {}

/**
 * Runs a staff member's text command (any channel) and returns the reply to send back, in
 * Simplified Chinese. Mistakes and refusals become replies; unexpected errors are thrown.
 */
export async function runStaffCommand(db: Database, clock: Clock, actor: LeadActor, text: string): Promise<{ reply: string }> {
  const command = parseStaffCommand(text);
  try {
    switch (command.kind) {
      case 'help':
        return { reply: STAFF_HELP };
      case 'unknown':
        return { reply: UNKNOWN_HINT };
      case 'invalid':
        return { reply: `格式不对：${command.problem}\n正确格式：${command.usage}\n例如：${command.example}` };
      case 'today': {
        const store = await db.store.findUniqueOrThrow({ where: { id: actor.storeId } });
        return { reply: formatTodayList(await todayList(db, clock, actor), store.timeZone) };
      }
      case 'follow_up': {
        const { lead, timeZone, staffHoursStart } = await resolve(db, clock, actor, command.lead);
        const nextFollowUpAt = command.next ? localInstant(command.next, staffHoursStart, timeZone) : undefined;
        const result = await logFollowUp(db, clock, actor, lead.id, { way: command.way, note: command.note, grade: command.grade, nextFollowUpAt });
        return { reply: `已记录${who(lead)}的${WAY_NAMES[command.way]}跟进：${result.lead.grade}级，${nextText(result.lead.nextFollowUpAt, timeZone)}` };
      }
      case 'grade': {
        const { lead, timeZone } = await resolve(db, clock, actor, command.lead);
        const updated = await changeGrade(db, clock, actor, lead.id, { grade: command.grade });
        return { reply: `已将${who(lead)}定为 ${updated.grade}级，${nextText(updated.nextFollowUpAt, timeZone)}` };
      }
      case 'order': {
        const { lead, timeZone } = await resolve(db, clock, actor, command.lead);
        await leadForActor(db, actor, lead.id);
        const deliveryAt = localInstant(command.deliveryAt, command.deliveryAt.time, timeZone);
        const consultantId = actor.role === 'CONSULTANT' ? actor.staffId : lead.ownerStaffId;
        const order = await recordOrder(db, clock, actor, { customerId: lead.customerId, model: command.model, deliveryAt, consultantId });
        await recordLeadOutcome(db, clock, actor, lead.id, 'O');
        const when = DateTime.fromJSDate(order.deliveryAt, { zone: timeZone }).toFormat('yyyy年M月d日 HH:mm');
        return { reply: `已为${who(lead)}登记订单：${order.model}，交车时间 ${when}。客户已转为 O级（已下单），交车提醒会自动安排。` };
      }
      case 'delivered': {
        const { lead } = await resolve(db, clock, actor, command.lead);
        await leadForActor(db, actor, lead.id);
        const open = await db.order.findMany({ where: { storeId: actor.storeId, customerId: lead.customerId, status: 'ORDERED' }, orderBy: { deliveryAt: 'asc' } });
        const order = open[0];
        if (!order) throw new CommandRefusal(`${who(lead)}没有待交车的订单，请先用“订单”命令登记`);
        if (open.length > 1) throw new CommandRefusal(`${who(lead)}有 ${open.length} 张待交车的订单，请到管理后台选择要交车的那一张`);
        await markDelivered(db, clock, actor, order.id);
        await recordLeadOutcome(db, clock, actor, lead.id, 'D');
        return { reply: `已确认${who(lead)}交车：${order.model}。客户已转为 D级（已交车），交车后的关怀会自动安排。` };
      }
      default:
        return command satisfies never;
    }
  } catch (error) {
    if (error instanceof CommandRefusal) return { reply: error.message };
    if (error instanceof LeadActionError) return { reply: LEAD_ERRORS[error.code] };
    if (error instanceof OrderInvalidError) return { reply: ORDER_ERRORS[error.code] };
    throw error;
  }
}

/** The lead a command names, in the actor's store: by phone, or by its number in the actor's today list. */
async function resolve(db: Database, clock: Clock, actor: LeadActor, ref: LeadRef) {
  const store = await db.store.findUniqueOrThrow({ where: { id: actor.storeId } });
  let leadId: string;
  if (ref.by === 'phone') {
    const lead = await db.lead.findFirst({ where: { storeId: actor.storeId, customer: { phone: ref.phone } } });
    if (!lead) throw new CommandRefusal(`本店没有手机号 ${maskPhone(ref.phone)} 的客户`);
    leadId = lead.id;
  } else {
    const list = await todayList(db, clock, actor);
    const item = list[ref.n - 1];
    if (!item) {
      throw new CommandRefusal(list.length === 0
        ? `今日列表是空的，没有第 ${ref.n} 位客户；可以直接写客户手机号`
        : `今日列表只有 ${list.length} 位客户，没有第 ${ref.n} 位；发送“今日”查看最新编号`);
    }
    leadId = item.leadId;
  }
  const lead = await db.lead.findUniqueOrThrow({ where: { id: leadId }, include: { customer: true } });
  return { lead, timeZone: store.timeZone, staffHoursStart: store.staffHoursStart };
}

function who(lead: { customer: { name: string; phone: string } }): string {
  return `${lead.customer.name}（${maskPhone(lead.customer.phone)}）`;
}

function nextText(next: Date | null, timeZone: string): string {
  return next ? `下次跟进 ${formatLocalDueTime(next, timeZone)}` : '无需再跟进';
}

/** A wall-clock time in the store's zone as an instant; a date alone takes `defaultTime`. */
function localInstant(local: LocalDateTime, defaultTime: string, timeZone: string): Date {
  return DateTime.fromISO(`${local.date}T${local.time ?? defaultTime}`, { zone: timeZone }).toJSDate();
}
