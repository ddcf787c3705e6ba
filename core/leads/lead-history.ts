import type { Database } from '../db/open-database.ts';

/** What kind of thing happened to a lead. */
export type HistoryKind = 'visit' | 'follow_up' | 'change' | 'lost' | 'survey' | 'ticket' | 'order' | 'message' | 'task' | 'consent' | 'voucher';

/** One entry of a lead's history: when, what, who did it (a staff member's name, when it was one). */
export interface HistoryEntry {
  at: Date;
  kind: HistoryKind;
  text: string;
  by: string | null;
}

const WAYS: Record<string, string> = { call: '电话', visit: '到店', chat: '微信', test_drive: '试驾' };
const SOURCES: Record<string, string> = { walk_in: '自然到店', online: '网络', phone: '来电', referral: '转介绍', other: '其他' };
const AUDIT: Record<string, string> = {
  lead_reassigned: '线索转交', 'lead.graded': '调整级别', 'lead.added': '登记线索', lost_requested: '申请战败', lost_approved: '批准战败', lost_rejected: '驳回战败',
  'customer.profile': '修改客户资料', 'customer.birthday': '修改生日', 'customer.visit': '前台登记到店', 'customer.imported': '导入',
  'order.recorded': '登记订单', 'order.rescheduled': '交车改期', 'order.cancelled': '取消订单', 'order.delivered': '确认交车',
};

/** The label of a lead source for staff. */
export const sourceLabel = (source: string): string => SOURCES[source] ?? source;

const textOf = (payload: string): string => {
  try {
    const message = JSON.parse(payload) as { text?: unknown };
    return typeof message.text === 'string' ? message.text : '';
  } catch {
    return '';
  }
};

/**
 * Everything that happened to a lead and its customer at the lead's store, oldest first:
 * visits, follow-ups with their notes and grades, audited changes (grades, reassignments, lost
 * requests and decisions, profile edits, orders), surveys with scores and comments, tickets,
 * orders, messages sent and those handed to a consultant, consents, vouchers. Entries at the
 * same instant keep this order.
 */
export async function leadHistory(db: Database, leadId: string): Promise<HistoryEntry[]> {
  const lead = await db.lead.findUniqueOrThrow({ where: { id: leadId } });
  const { storeId, customerId } = lead;
  const here = { storeId, customerId };
  const orders = await db.order.findMany({ where: here });
  const [visits, followUps, audit, surveys, tickets, intents, tasks, consents, vouchers] = await Promise.all([
    db.visit.findMany({ where: here, include: { consultant: true, qrSource: true } }),
    db.followUp.findMany({ where: { leadId }, include: { staff: true } }),
    db.auditEntry.findMany({ where: { storeId, OR: [{ entity: { in: ['Lead', 'lead'] }, entityId: leadId }, { entity: { in: ['customer', 'Customer'] }, entityId: customerId }, { entity: { in: ['order', 'Order'] }, entityId: { in: orders.map((o) => o.id) } }] }, include: { actor: true } }),
    db.survey.findMany({ where: here, include: { consultant: true } }),
    db.ticket.findMany({ where: here, include: { owner: true } }),
    db.messageIntent.findMany({ where: { ...here, state: 'SENT', purpose: { in: ['SERVICE', 'MARKETING', 'REPLY'] } } }),
    db.staffTask.findMany({ where: here, include: { staff: true } }),
    db.consentRecord.findMany({ where: { customerId } }),
    db.voucher.findMany({ where: { customerId, campaign: { storeId } }, include: { gift: true, redeemedBy: true } }),
  ]);
  const entries: HistoryEntry[] = [
    ...visits.map((v) => ({ at: v.visitedAt, kind: 'visit' as const, by: v.consultant?.name ?? null, text: `到店（${v.qrSource ? `扫码：${v.qrSource.label}` : '前台登记'}）${v.modelOfInterest ? `，意向车型 ${v.modelOfInterest}` : ''}，来源 ${sourceLabel(v.heardFrom)}` })),
    ...followUps.map((f) => ({ at: f.at, kind: 'follow_up' as const, by: f.staff.name, text: `${WAYS[f.way] ?? f.way}跟进：${f.note}（${f.gradeBefore}→${f.gradeAfter}）` })),
    ...audit.map((a) => ({ at: a.at, kind: (a.action.startsWith('lost') ? 'lost' : a.action.startsWith('order.') ? 'order' : 'change') as HistoryKind, by: a.actor?.name ?? null, text: `${AUDIT[a.action] ?? a.action}${auditSummary(a.details)}` })),
    ...orders.map((o) => ({ at: o.orderedAt, kind: 'order' as const, by: null, text: `签单：${o.model}${o.status === 'DELIVERED' ? '（已交车）' : o.status === 'CANCELLED' ? '（已取消）' : ''}` })),
    ...surveys.filter((s) => s.sentAt).map((s) => ({ at: s.scoredAt ?? s.sentAt as Date, kind: 'survey' as const, by: s.consultant?.name ?? null, text: `${s.kind === 'VISIT' ? '到店' : '交车'}满意度回访：${s.score === null ? '未回复' : `${s.score} 分`}${s.comment ? `，客户留言：${s.comment}` : ''}` })),
    ...tickets.map((t) => ({ at: t.createdAt, kind: 'ticket' as const, by: t.owner?.name ?? null, text: `${t.type === 'RECALL' ? '回访召回' : '客户投诉'} ${t.reference}：${t.description}${t.closedAt ? `（已结案：${t.outcome ?? ''}）` : ''}` })),
    ...intents.map((i) => ({ at: i.sentAt ?? i.sendAt, kind: 'message' as const, by: null, text: `已发送（${i.kind}）：${textOf(i.payload)}` })),
    ...tasks.map((t) => ({ at: t.createdAt, kind: 'task' as const, by: t.staff?.name ?? null, text: `转交顾问发送${t.doneAt ? '（已完成）' : '（待完成）'}：${t.text}` })),
    ...consents.map((c) => ({ at: c.recordedAt, kind: 'consent' as const, by: null, text: `${c.purpose === 'SERVICE' ? '服务消息' : '营销消息'}：${c.granted ? '同意' : '不同意'}（来源 ${c.source}）` })),
    ...vouchers.flatMap((v) => [
      { at: v.issuedAt, kind: 'voucher' as const, by: null, text: `领取礼品券 ${v.code}（${v.gift.name}）` },
      ...(v.redeemedAt ? [{ at: v.redeemedAt, kind: 'voucher' as const, by: v.redeemedBy?.name ?? null, text: `核销礼品券 ${v.code}` }] : []),
    ]),
  ];
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A short summary of an audit entry's details for the history (names of changed fields, grades, levels). */
function auditSummary(raw: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return '';
  }
  const parts: string[] = [];
  if (typeof d.reason === 'string' && d.reason) parts.push(`原因：${d.reason}`);
  if (typeof d.level === 'number') parts.push(`${d.level}级`);
  const before = d.before as Record<string, unknown> | undefined;
  const after = d.after as Record<string, unknown> | undefined;
  if (after && typeof after.grade === 'string') parts.push(`级别 ${String(before?.grade ?? '')}→${after.grade}`);
  else if (after && typeof after === 'object') parts.push(`修改了 ${Object.keys(after).join('、')}`);
  if (typeof d.note === 'string' && d.note) parts.push(`说明：${d.note}`);
  return parts.length ? `：${parts.join('，')}` : '';
}
