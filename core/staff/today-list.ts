import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { maskPhone } from '../customers/phone.ts';
import { endOfLocalDay, localDate } from '../journeys/local-time.ts';
import { gradeWindowPassed } from '../leads/cadence.ts';
import { parseLeadSettings } from '../leads/lead-settings.ts';
import type { LeadActor } from '../leads/log-follow-up.ts';

const DAY_MS = 24 * 3600_000;

/** One line of a consultant's today list. */
export interface TodayItem {
  leadId: string;
  customerId: string;
  customerName: string;
  /** e.g. 138****0001 */
  maskedPhone: string;
  grade: string;
  dueAt: Date | null;
  overdue: boolean;
  /** The grade's promised purchase window has passed: the lead must be re-graded. */
  regrade: boolean;
}

/**
 * The actor's own active leads to follow up today: overdue or due by the end of the store's
 * local day, every lead still ungraded (N), and every lead whose grade's purchase window has
 * passed (it must be re-graded). Overdue first, then by due time; the position (from 1) is the
 * number staff commands accept.
 */
export async function todayList(db: Database, clock: Clock, actor: LeadActor): Promise<TodayItem[]> {
  const now = clock.now();
  const store = await db.store.findUniqueOrThrow({ where: { id: actor.storeId } });
  const settings = parseLeadSettings(store.leadSettings);
  const endOfToday = endOfLocalDay(localDate(now, store.timeZone), store.timeZone);
  const shortestWindow = Math.min(...Object.values(settings.gradeWindowDays));
  const candidates = await db.lead.findMany({
    where: {
      storeId: actor.storeId, ownerStaffId: actor.staffId, pool: 'ACTIVE',
      OR: [
        { nextFollowUpAt: { lt: endOfToday } }, { grade: 'N' },
        { grade: { in: ['H', 'A', 'B', 'C'] }, gradedAt: { lt: new Date(now.getTime() - shortestWindow * DAY_MS) } },
      ],
    },
    include: { customer: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const regrade = (lead: (typeof candidates)[number]) => gradeWindowPassed(lead.grade, lead.gradedAt, now, settings);
  const leads = candidates.filter((lead) => lead.grade === 'N' || (lead.nextFollowUpAt !== null && lead.nextFollowUpAt < endOfToday) || regrade(lead));
  const items = leads.map((lead) => ({
    leadId: lead.id,
    customerId: lead.customerId,
    customerName: lead.customer.name,
    maskedPhone: maskPhone(lead.customer.phone),
    grade: lead.grade,
    dueAt: lead.nextFollowUpAt,
    overdue: lead.nextFollowUpAt !== null && lead.nextFollowUpAt < now,
    regrade: regrade(lead),
  }));
  const dueKey = (item: TodayItem): number => item.dueAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable, so equal due times keep the creation order.
  return items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || dueKey(a) - dueKey(b));
}

/** A due time as staff read it, in the store's time zone: 11月23日 10:00. */
export function formatLocalDueTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('M月d日 HH:mm');
}

/** A lead's grade as staff read it, with what it asks of them. */
export function gradeLabel(item: Pick<TodayItem, 'grade' | 'regrade'>): string {
  if (item.grade === 'N') return 'N级（待定级）';
  return item.regrade ? `${item.grade}级（购买期已过，请重新定级）` : `${item.grade}级`;
}

/** The today list as a numbered Chinese message. */
export function formatTodayList(list: readonly TodayItem[], timeZone: string): string {
  if (list.length === 0) return '今天没有待跟进的客户';
  const lines = list.map((item, index) => {
    const due = item.dueAt ? `${item.overdue ? '已逾期，应于' : ''}${formatLocalDueTime(item.dueAt, timeZone)}` : '未定时间';
    return `${index + 1}. ${item.customerName} ${item.maskedPhone} ${gradeLabel(item)} ${due}`;
  });
  return [`今日待跟进（${list.length}）`, ...lines, '', '记录跟进：跟进 <编号> <方式> <级别> <内容>，例如：跟进 1 电话 A 约周六试驾'].join('\n');
}
