import { formatLocalDueTime, gradeLabel as itemGradeLabel, type TodayItem } from '../staff/today-list.ts';

/**
 * Lines listed in one staff message at most. WeCom drops app messages past 30 a minute per
 * employee, so a burst of due leads is one message with the first few listed, never one each.
 */
export const MAX_LISTED = 20;

/** Up to {@link MAX_LISTED} numbered lines, then "…等共 N 位" when there are more. */
export function listLines<T>(items: readonly T[], line: (item: T) => string, unit = '位'): string[] {
  const lines = items.slice(0, MAX_LISTED).map((item, index) => `${index + 1}. ${line(item)}`);
  if (items.length > MAX_LISTED) lines.push(`…等共 ${items.length} ${unit}`);
  return lines;
}

/** A lead as the nudges list it. */
export interface NudgeLead {
  customerName: string;
  maskedPhone: string;
  grade: string;
  dueAt: Date;
  ownerName?: string;
}

/** An open recall ticket as the digest lists it. */
export interface DigestTicket {
  reference: string;
  customerName: string | null;
  dueAt: Date;
}

const gradeLabel = (grade: string): string => (grade === 'N' ? 'N级（待定级）' : `${grade}级`);

/** The morning digest: today's follow-ups (overdue first) and open recall tickets. */
export function digestText(list: readonly TodayItem[], tickets: readonly DigestTicket[], timeZone: string): string {
  const overdue = list.filter((item) => item.overdue).length;
  const ungraded = list.filter((item) => item.grade === 'N').length;
  const parts = ['早上好！今日工作提醒'];
  if (list.length > 0) {
    parts.push('', `待跟进客户 ${list.length} 位（已逾期 ${overdue}，待定级 ${ungraded}）：`);
    parts.push(...listLines(list, (item) => {
      const due = item.dueAt ? `${item.overdue ? '已逾期，应于' : ''}${formatLocalDueTime(item.dueAt, timeZone)}` : '未定时间';
      return `${item.customerName} ${item.maskedPhone} ${itemGradeLabel(item)} ${due}`;
    }));
  }
  if (tickets.length > 0) {
    parts.push('', `待处理回访工单 ${tickets.length} 张：`);
    parts.push(...listLines(tickets, (t) => `${t.reference}${t.customerName ? ` ${t.customerName}` : ''} 截止 ${formatLocalDueTime(t.dueAt, timeZone)}`, '张'));
  }
  parts.push('', '发送“今日”查看完整列表；记录跟进：跟进 <编号> <方式> <级别> <内容>');
  return parts.join('\n');
}

/** The batched nudge about H/A leads whose follow-up time has passed. */
export function overdueNudgeText(leads: readonly NudgeLead[], timeZone: string): string {
  return [
    `有 ${leads.length} 位高意向客户已到跟进时间，请尽快联系：`,
    ...listLines(leads, (l) => `${l.customerName} ${l.maskedPhone} ${gradeLabel(l.grade)} 应于${formatLocalDueTime(l.dueAt, timeZone)}`),
    '',
    '发送“今日”查看列表并记录跟进',
  ].join('\n');
}

/** The manager alert about leads overdue by more than the store's threshold. */
export function overdueAlertText(leads: readonly NudgeLead[], days: number, timeZone: string): string {
  return [
    `【逾期提醒】${leads.length} 位客户逾期超过 ${days} 天未跟进：`,
    ...listLines(leads, (l) => `${l.customerName} ${l.maskedPhone} ${gradeLabel(l.grade)} 顾问：${l.ownerName ?? '未分配'} 应于${formatLocalDueTime(l.dueAt, timeZone)}`),
    '',
    '请督促跟进或重新分配',
  ].join('\n');
}

/** The end-of-day reminder to a consultant below the daily minimum of follow-ups. */
export function minimumText(done: number, minimum: number): string {
  return `今日已记录跟进 ${done} 次，未达到每日最低 ${minimum} 次，还差 ${minimum - done} 次。下班前请再跟进几位客户（发送“今日”查看列表）。`;
}
