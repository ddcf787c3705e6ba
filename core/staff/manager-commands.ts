import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { decideLost, LOST_LEVELS, requestLost, type LostLevel } from '../leads/lost-request.ts';
import type { LeadActor } from '../leads/log-follow-up.ts';
import { reassignLead } from '../leads/reassign-lead.ts';
import { CommandRefusal, leadByPhone, localInstant, nextText, nthOf, requireManager, resolveLead, storeOf, who } from './command-support.ts';
import type { LeadRef, ParsedCommand } from './parse-command.ts';
import { formatLocalDueTime } from './today-list.ts';

type Command<K extends ParsedCommand['kind']> = Extract<ParsedCommand, { kind: K }>;

/** 战败: a consultant asks a manager to mark a lead lost. */
export async function runLost(db: Database, clock: Clock, actor: LeadActor, command: Command<'lost'>): Promise<string> {
  const lead = await resolveLead(db, clock, actor, command.lead);
  await requestLost(db, clock, actor, lead.id, { level: command.level, reason: command.reason, ...(command.competitorModel ? { competitorModel: command.competitorModel } : {}) });
  return `已提交${who(lead)}的战败申请（${command.level}级：${LOST_LEVELS[command.level]}），等待经理审批。审批前请照常跟进。`;
}

/** The store's pending lost requests, oldest first: the list 批准/驳回 numbers refer to. */
async function pendingRequests(db: Database, storeId: string) {
  return db.lostRequest.findMany({
    where: { status: 'PENDING', lead: { storeId } },
    include: { lead: { include: { customer: true } }, requestedBy: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** 待审: the numbered list of pending lost requests. */
export async function runPending(db: Database, actor: LeadActor): Promise<string> {
  requireManager(actor, '查看待审批的战败申请');
  const [requests, store] = await Promise.all([pendingRequests(db, actor.storeId), storeOf(db, actor.storeId)]);
  if (requests.length === 0) return '没有待审批的战败申请';
  const lines = requests.map((r, i) => {
    const competitor = r.competitorModel ? `，竞品 ${r.competitorModel}` : '';
    return `${i + 1}. ${who(r.lead)} ${r.level}级（${LOST_LEVELS[r.level as LostLevel]}）：${r.reason}${competitor}（${r.requestedBy.name}，${formatLocalDueTime(r.createdAt, store.timeZone)}）`;
  });
  return [`待审批的战败申请（${requests.length}）`, ...lines, '', '批准 <编号>　或　驳回 <编号> <级别> <下次跟进日期> [说明]'].join('\n');
}

/** The pending request a 批准/驳回 names: by its number in 待审, or by the customer's phone. */
async function pendingRequest(db: Database, actor: LeadActor, ref: LeadRef) {
  if (ref.by === 'number') return nthOf(await pendingRequests(db, actor.storeId), ref.n, '待审');
  const lead = await leadByPhone(db, actor.storeId, ref.phone);
  const request = await db.lostRequest.findFirst({ where: { leadId: lead.id, status: 'PENDING' }, include: { lead: { include: { customer: true } } } });
  if (!request) throw new CommandRefusal(`${who(lead)}没有待审批的战败申请`);
  return request;
}

/** 批准: a manager approves a lost request. */
export async function runApprove(db: Database, clock: Clock, actor: LeadActor, command: Command<'approve'>): Promise<string> {
  requireManager(actor, '审批战败申请');
  const request = await pendingRequest(db, actor, command.lead);
  const { lead } = await decideLost(db, clock, actor, request.id, { approve: true, ...(command.note ? { note: command.note } : {}) });
  if (request.level === 3) return `已批准：${who(request.lead)}暂无需求，不算战败，转为 C级 继续跟进（${nextText(lead.nextFollowUpAt, (await storeOf(db, actor.storeId)).timeZone)}）。已通知顾问。`;
  const care = request.level === 1 ? '不再向该号码发送任何关怀消息' : '客户关怀照常进行';
  return `已批准：${who(request.lead)}定为战败（${request.level}级：${LOST_LEVELS[request.level as LostLevel]}），${care}。已通知顾问。`;
}

/** 驳回: a manager sends a lost request back with a grade and a next date. */
export async function runReject(db: Database, clock: Clock, actor: LeadActor, command: Command<'reject'>): Promise<string> {
  requireManager(actor, '审批战败申请');
  const request = await pendingRequest(db, actor, command.lead);
  const store = await storeOf(db, actor.storeId);
  const nextFollowUpAt = localInstant(command.next, store.staffHoursStart, store.timeZone);
  await decideLost(db, clock, actor, request.id, { approve: false, grade: command.grade, nextFollowUpAt, ...(command.note ? { note: command.note } : {}) });
  return `已驳回：${who(request.lead)}退回顾问继续跟进，${command.grade}级，${nextText(nextFollowUpAt, store.timeZone)}。已通知顾问。`;
}

/** Leads put to the managers as stale and not yet reassigned, first visit first: the list 转交 numbers refer to. */
async function staleLeads(db: Database, storeId: string) {
  return db.lead.findMany({
    where: { storeId, pool: 'ACTIVE', staleFlaggedAt: { not: null }, grade: { in: ['N', 'H', 'A', 'B', 'C'] } },
    include: { customer: true, owner: true }, orderBy: [{ firstVisitAt: 'asc' }, { id: 'asc' }],
  });
}

/** 久未成交: the numbered list of stale leads waiting for a manager. */
export async function runStale(db: Database, actor: LeadActor): Promise<string> {
  requireManager(actor, '查看久未成交的客户');
  const [leads, store] = await Promise.all([staleLeads(db, actor.storeId), storeOf(db, actor.storeId)]);
  if (leads.length === 0) return '没有待转交的久未成交客户';
  const lines = leads.map((l, i) => `${i + 1}. ${who(l)} ${l.grade}级，顾问 ${l.owner?.name ?? '无'}，首次到店 ${formatLocalDueTime(l.firstVisitAt, store.timeZone)}`);
  return [`久未成交、待转交的客户（${leads.length}）`, ...lines, '', '转交 <编号> <顾问姓名>，例如：转交 1 张伟'].join('\n');
}

/** 转交: a manager gives a lead (by its 久未成交 number, or phone) to another consultant, named as the store knows them. */
export async function runReassign(db: Database, clock: Clock, actor: LeadActor, command: Command<'reassign'>): Promise<string> {
  requireManager(actor, '转交客户');
  const lead = command.lead.by === 'phone' ? await leadByPhone(db, actor.storeId, command.lead.phone) : nthOf(await staleLeads(db, actor.storeId), command.lead.n, '久未成交');
  const matches = await db.staff.findMany({ where: { storeId: actor.storeId, role: 'CONSULTANT', active: true, name: command.consultantName } });
  if (matches.length === 0) throw new CommandRefusal(`本店没有在职顾问叫“${command.consultantName}”，请核对姓名`);
  if (matches.length > 1) throw new CommandRefusal(`本店有 ${matches.length} 位顾问叫“${command.consultantName}”，请到管理后台转交`);
  const [to] = matches as [(typeof matches)[number]];
  await reassignLead(db, clock, actor, lead.id, to.id);
  return `已将${who(lead)}转给 ${to.name}，已通知对方。`;
}
