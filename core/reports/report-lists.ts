import { DateTime } from 'luxon';
import { maskPhone } from '../customers/phone.ts';
import { LOST_LEVELS } from '../leads/lost-request.ts';
import { may, type Principal } from '../staff/authorization.ts';
import { ticketCategoryLabel } from '../surveys/ticket-categories.ts';
import { staffFactorLabel } from '../surveys/tickets.ts';
import { GRADE_LABELS, GRADES, type GradeKey } from './funnel-figures.ts';
import { CHANNEL_LABELS, heardFromText } from './reception-figures.ts';
import { LOW_SCORE_BELOW } from '../surveys/consultant-scores.ts';
import { during, inWindows, mine, type ReportDb, type ReportScope } from './report-scope.ts';

/** The lists behind the figures (drill-down). */
export const LIST_NAMES = ['registrations', 'leads', 'lost', 'surveys', 'recalls', 'complaints', 'followups', 'overdue', 'orders', 'handovers'] as const;
export type ListName = (typeof LIST_NAMES)[number];
export const isListName = (value: string): value is ListName => (LIST_NAMES as readonly string[]).includes(value);

/** A value of a list cell before it is shown: instants are written in the row's store time zone. */
type Raw = string | number | Date | null;

/** One row of a list: its cells, and the customer whose phone it shows (masked unless the viewer cares for them). */
interface RawRow {
  storeId: string;
  cells: Raw[];
  customer: { phone: string; ownerStaffId: string | null } | null;
}

/** A list ready to show or export: every cell text or a number. */
export interface ReportList {
  list: ListName;
  title: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
  /** More rows matched than were read (`limit`). */
  truncated: boolean;
}

const PHONE = '手机';
const who = (c: { name: string; phone: string } | null, ownerStaffId: string | null) => (c ? { phone: c.phone, ownerStaffId } : null);
const owner = (lead: { ownerStaffId: string | null } | undefined) => lead?.ownerStaffId ?? null;
const customerSelect = { name: true, phone: true, leads: { select: { ownerStaffId: true, storeId: true } } } as const;
const ownerAt = (c: { leads: { ownerStaffId: string | null; storeId: string }[] } | null, storeId: string) => owner(c?.leads.find((l) => l.storeId === storeId));

interface ListDef {
  title: string;
  columns: string[];
  read(db: ReportDb, scope: ReportScope, filter: string, take: number): Promise<RawRow[]>;
}

/** A filter `staff:<id>` narrows the list to one staff member's rows (inside the scope: it never widens it). */
const staffFilter = (filter: string, field: string) => (filter.startsWith('staff:') ? { [field]: filter.slice('staff:'.length) } : {});

const LISTS: Record<ListName, ListDef> = {
  registrations: {
    title: '登记明细', columns: ['登记时间', '客户', PHONE, '二维码来源', '渠道', '了解渠道', '接待顾问'],
    async read(db, scope, _filter, take) {
      const rows = await db.visit.findMany({
        where: inWindows(scope, (w) => ({ storeId: w.storeId, visitedAt: during(w), ...mine(scope, 'consultantId') })), take, orderBy: [{ visitedAt: 'asc' }, { id: 'asc' }],
        select: { storeId: true, visitedAt: true, channel: true, heardFrom: true, customer: { select: customerSelect }, qrSource: { select: { label: true } }, consultant: { select: { name: true } } },
      });
      return rows.map((v) => ({ storeId: v.storeId, customer: who(v.customer, ownerAt(v.customer, v.storeId)), cells: [v.visitedAt, v.customer.name, null, v.qrSource?.label ?? '—', CHANNEL_LABELS[v.channel] ?? v.channel, heardFromText(v.heardFrom), v.consultant?.name ?? '—'] }));
    },
  },
  leads: {
    title: '新线索明细（本期首次到店，当前级别）', columns: ['首次到店', '客户', PHONE, '级别', '来源', '顾问', '下次跟进'],
    async read(db, scope, filter, take) {
      const grade = filter.startsWith('grade:') && (GRADES as readonly string[]).includes(filter.slice(6)) ? { grade: filter.slice(6) as GradeKey } : {};
      const rows = await db.lead.findMany({
        where: inWindows(scope, (w) => ({ storeId: w.storeId, firstVisitAt: during(w), ...mine(scope, 'ownerStaffId'), ...grade, ...staffFilter(filter, 'ownerStaffId') })), take, orderBy: [{ firstVisitAt: 'asc' }, { id: 'asc' }],
        select: { storeId: true, ownerStaffId: true, firstVisitAt: true, grade: true, source: true, nextFollowUpAt: true, customer: { select: { name: true, phone: true } }, owner: { select: { name: true } } },
      });
      return rows.map((l) => ({ storeId: l.storeId, customer: who(l.customer, l.ownerStaffId), cells: [l.firstVisitAt, l.customer.name, null, GRADE_LABELS[l.grade], heardFromText(l.source), l.owner?.name ?? '—', l.nextFollowUpAt] }));
    },
  },
  lost: {
    title: '战败明细（本期批准）', columns: ['批准时间', '客户', PHONE, '级别', '原因', '竞品车型', '申请顾问'],
    async read(db, scope, _filter, take) {
      const rows = await db.lostRequest.findMany({
        where: inWindows(scope, (w) => ({ lead: { storeId: w.storeId }, status: 'APPROVED' as const, level: { in: [1, 2] }, decidedAt: during(w), ...mine(scope, 'requestedById') })), take, orderBy: [{ decidedAt: 'asc' }, { id: 'asc' }],
        select: { decidedAt: true, level: true, reason: true, competitorModel: true, requestedBy: { select: { name: true } }, lead: { select: { storeId: true, ownerStaffId: true, customer: { select: { name: true, phone: true } } } } },
      });
      return rows.map((r) => ({ storeId: r.lead.storeId, customer: who(r.lead.customer, r.lead.ownerStaffId), cells: [r.decidedAt, r.lead.customer.name, null, `${r.level}级 ${LOST_LEVELS[r.level as 1 | 2] ?? ''}`, r.reason, r.competitorModel ?? '—', r.requestedBy.name] }));
    },
  },
  surveys: {
    title: '回访明细（本期发送）', columns: ['发送时间', '类型', '客户', PHONE, '顾问', '状态', '评分', '不满意环节', '客户留言'],
    async read(db, scope, filter, take) {
      const by: Record<string, object> = { answered: { score: { not: null } }, low: { score: { lt: LOW_SCORE_BELOW } }, expired: { score: null, state: 'EXPIRED' }, awaiting: { score: null, state: { in: ['SENT', 'ANSWERING'] } } };
      const rows = await db.survey.findMany({
        where: { AND: [inWindows(scope, (w) => ({ storeId: w.storeId, sentAt: during(w), ...mine(scope, 'consultantId'), ...staffFilter(filter, 'consultantId') })), by[filter] ?? {}] }, take, orderBy: [{ sentAt: 'asc' }, { id: 'asc' }],
        select: { storeId: true, sentAt: true, kind: true, state: true, score: true, factor: true, comment: true, customer: { select: customerSelect }, consultant: { select: { name: true } } },
      });
      return rows.map((s) => ({ storeId: s.storeId, customer: who(s.customer, ownerAt(s.customer, s.storeId)), cells: [s.sentAt, s.kind === 'VISIT' ? '到店回访' : '交车回访', s.customer.name, null, s.consultant?.name ?? '—', SURVEY_STATES[s.state] ?? s.state, s.score, s.score !== null && s.score < LOW_SCORE_BELOW ? staffFactorLabel(s.factor) : '', s.comment ?? ''] }));
    },
  },
  recalls: ticketList('RECALL', '召回工单明细（本期新开）'),
  complaints: ticketList('COMPLAINT', '投诉工单明细（本期新开）'),
  followups: {
    title: '跟进明细', columns: ['跟进时间', '顾问', '客户', PHONE, '方式', '级别变化', '记录'],
    async read(db, scope, filter, take) {
      const rows = await db.followUp.findMany({
        where: inWindows(scope, (w) => ({ staff: { storeId: w.storeId }, at: during(w), ...mine(scope, 'staffId'), ...staffFilter(filter, 'staffId') })), take, orderBy: [{ at: 'asc' }, { id: 'asc' }],
        select: { at: true, way: true, note: true, gradeBefore: true, gradeAfter: true, staff: { select: { name: true } }, lead: { select: { storeId: true, ownerStaffId: true, customer: { select: { name: true, phone: true } } } } },
      });
      return rows.map((f) => ({ storeId: f.lead.storeId, customer: who(f.lead.customer, f.lead.ownerStaffId), cells: [f.at, f.staff.name, f.lead.customer.name, null, WAYS[f.way] ?? f.way, f.gradeBefore === f.gradeAfter ? f.gradeAfter : `${f.gradeBefore} → ${f.gradeAfter}`, f.note] }));
    },
  },
  overdue: {
    title: '逾期未跟进线索（当前）', columns: ['应跟进时间', '客户', PHONE, '级别', '顾问'],
    async read(db, scope, filter, take) {
      const rows = await db.lead.findMany({
        where: { storeId: { in: scope.windows.map((w) => w.storeId) }, pool: 'ACTIVE', grade: { in: ['N', 'H', 'A', 'B', 'C'] }, nextFollowUpAt: { lt: scope.now }, ...mine(scope, 'ownerStaffId'), ...staffFilter(filter, 'ownerStaffId') },
        take, orderBy: [{ nextFollowUpAt: 'asc' }, { id: 'asc' }],
        select: { storeId: true, ownerStaffId: true, nextFollowUpAt: true, grade: true, customer: { select: { name: true, phone: true } }, owner: { select: { name: true } } },
      });
      return rows.map((l) => ({ storeId: l.storeId, customer: who(l.customer, l.ownerStaffId), cells: [l.nextFollowUpAt, l.customer.name, null, GRADE_LABELS[l.grade], l.owner?.name ?? '未分配'] }));
    },
  },
  orders: orderList('orderedAt', '订单明细（本期签订）'),
  handovers: orderList('deliveredAt', '交车明细（本期交车）'),
};

const SURVEY_STATES: Record<string, string> = { SCHEDULED: '待发送', SENT: '待回复', ANSWERING: '回复中', COMPLETED: '已完成', EXPIRED: '已过期', DECLINED: '客户拒绝', STAFF_FOLLOW_UP: '转人工' };
const WAYS: Record<string, string> = { call: '电话', visit: '到店', chat: '微信/聊天', test_drive: '试驾' };
const TICKET_STATUS: Record<string, string> = { OPEN: '待接单', IN_PROGRESS: '处理中', CLOSED: '已结案' };

function ticketList(type: 'RECALL' | 'COMPLAINT', title: string): ListDef {
  return {
    title, columns: ['编号', '创建时间', '客户', PHONE, '顾问', type === 'RECALL' ? '评分 · 环节' : '类别', '状态', '期限', '接单', '结案'],
    async read(db, scope, filter, take) {
      const by: Record<string, object> = { open: { status: { not: 'CLOSED' } }, overdue: { status: { not: 'CLOSED' }, dueAt: { lte: scope.now } } };
      const rows = await db.ticket.findMany({
        where: { AND: [inWindows(scope, (w) => ({ storeId: w.storeId, type, createdAt: during(w), ...mine(scope, 'consultantId') })), by[filter] ?? {}] }, take, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { storeId: true, reference: true, createdAt: true, score: true, factor: true, category: true, status: true, dueAt: true, takenAt: true, closedAt: true, customer: { select: customerSelect }, consultant: { select: { name: true } } },
      });
      return rows.map((t) => ({
        storeId: t.storeId, customer: t.customer ? who(t.customer, ownerAt(t.customer, t.storeId)) : null,
        cells: [t.reference, t.createdAt, t.customer?.name ?? '未登记客户', null, t.consultant?.name ?? '—', type === 'RECALL' ? `${t.score ?? '-'} 分 · ${staffFactorLabel(t.factor)}` : ticketCategoryLabel(t.category), TICKET_STATUS[t.status] ?? t.status, t.dueAt, t.takenAt, t.closedAt],
      }));
    },
  };
}

function orderList(field: 'orderedAt' | 'deliveredAt', title: string): ListDef {
  return {
    title, columns: ['签订时间', '约定交车', '实际交车', '客户', PHONE, '车型', '顾问', '状态'],
    async read(db, scope, _filter, take) {
      const rows = await db.order.findMany({
        where: inWindows(scope, (w) => ({ storeId: w.storeId, [field]: during(w), ...(field === 'deliveredAt' ? { status: 'DELIVERED' as const } : {}), ...mine(scope, 'consultantId') })), take, orderBy: [{ [field]: 'asc' }, { id: 'asc' }],
        select: { storeId: true, orderedAt: true, deliveryAt: true, deliveredAt: true, model: true, status: true, customer: { select: customerSelect }, consultant: { select: { name: true } } },
      });
      return rows.map((o) => ({ storeId: o.storeId, customer: who(o.customer, ownerAt(o.customer, o.storeId)), cells: [o.orderedAt, o.deliveryAt, o.deliveredAt, o.customer.name, null, o.model, o.consultant?.name ?? '—', ({ ORDERED: '已订车', DELIVERED: '已交车', CANCELLED: '已取消' } as Record<string, string>)[o.status] ?? o.status] }));
    },
  };
}

/** `2026-11-20 23:30` in the store's time zone. */
export const localStamp = (instant: Date, timeZone: string): string => DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');

/**
 * The rows behind a figure, as `viewer` may see them: instants in each row's store time zone,
 * phone numbers in full only for a customer the viewer cares for (`customer.care`: their own
 * customers for a consultant, the store's for managers and admins), masked otherwise. At most
 * `limit` rows (oldest first); `truncated` says when there were more.
 */
export async function reportList(db: ReportDb, scope: ReportScope, viewer: Principal, list: ListName, filter: string, limit: number): Promise<ReportList> {
  const def = LISTS[list];
  const raw = await def.read(db, scope, filter, limit + 1);
  const zones = new Map(scope.windows.map((w) => [w.storeId, w.timeZone]));
  const phoneAt = def.columns.indexOf(PHONE);
  const rows = raw.slice(0, limit).map((r) => r.cells.map((cell, i): string | number | null => {
    if (i === phoneAt) return r.customer ? (may(viewer, 'customer.care', { storeId: r.storeId, ownerStaffId: r.customer.ownerStaffId }) ? r.customer.phone : maskPhone(r.customer.phone)) : '';
    return cell instanceof Date ? localStamp(cell, zones.get(r.storeId) ?? 'UTC') : cell;
  }));
  return { list, title: def.title, columns: def.columns, rows, truncated: raw.length > limit };
}
