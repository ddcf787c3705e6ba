import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { escalateOverdueTickets, ticketEscalationJob } from '../../../core/surveys/ticket-escalation.ts';
import { closeTicket, openComplaintTicket, openRecallTicket, takeTicket, TicketError, type RecallInput } from '../../../core/surveys/tickets.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let t: TestCore;
let storeId: string;
let adminId: string;
let managerIds: string[];
let frontDeskId: string;
let consultantId: string;
let customerId: string;
let surveyId: string;

const db = () => t.ctx.db;
const now = () => t.clock.now();
const at = (ms: number) => new Date(Date.parse('2026-11-22T02:00:00Z') + ms);

async function staff(name: string, role: 'MANAGER' | 'FRONT_DESK' | 'CONSULTANT' | 'ADMIN', active = true): Promise<string> {
  return (await db().staff.create({ data: { storeId, name, role, active } })).id;
}

async function survey(subjectId: string): Promise<string> {
  return (await db().survey.create({
    data: { storeId, customerId, consultantId, kind: 'VISIT', subjectId, state: 'COMPLETED', score: 5, sendAt: now(), expiresAt: new Date(now().getTime() + 48 * HOUR) },
  })).id;
}

function recallInput(extra: Partial<RecallInput> = {}): RecallInput {
  return { storeId, customerId, consultantId, surveyId, score: 5, factor: 'price_transparency', comment: '报价前后不一致', ...extra };
}

const openRecall = (extra: Partial<RecallInput> = {}) => db().$transaction((tx) => openRecallTicket(tx, t.clock, recallInput(extra)));
const openComplaint = (description = '试驾车辆卫生很差，顾问态度冷淡') =>
  db().$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId, customerId, consultantId, description, source: 'phone' }));
const intentsOf = (kind: string) => db().messageIntent.findMany({ where: { kind }, orderBy: { dedupeKey: 'asc' } });
const text = (payload: string) => (JSON.parse(payload) as { text: string }).text;
const sorted = (ids: string[]) => [...ids].sort();

beforeEach(async () => {
  t = await createTestCore(); // now: 2026-11-22 10:00 Asia/Shanghai
  storeId = t.setup.storeId;
  adminId = t.setup.adminStaffId;
  managerIds = [await staff('展厅经理王芳', 'MANAGER'), await staff('销售经理赵强', 'MANAGER')];
  await staff('离职经理', 'MANAGER', false);
  frontDeskId = await staff('客服小刘', 'FRONT_DESK');
  consultantId = await staff('顾问李明', 'CONSULTANT');
  customerId = (await db().customer.create({ data: { name: '张伟', phone: '+8613812345678' } })).id;
  surveyId = await survey('visit-1');
});
afterEach(async () => {
  await t.close();
});

describe('recall tickets (low scores)', () => {
  it('opens a RECALL ticket due in 48 h and tells every active manager at once, with an alert', async () => {
    const ticket = await openRecall();
    expect(ticket).toMatchObject({
      type: 'RECALL', status: 'OPEN', storeId, customerId, consultantId, surveyId, score: 5, factor: 'price_transparency',
      ownerStaffId: null, takenAt: null, escalatedAt: null, reference: 'TS-20261122-0001',
    });
    expect(ticket.createdAt.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(ticket.dueAt.toISOString()).toBe('2026-11-24T02:00:00.000Z');
    expect(ticket.description).toContain('报价前后不一致');

    const intents = await intentsOf('ticket_opened');
    expect(sorted(intents.map((i) => i.staffId!))).toEqual(sorted(managerIds));
    for (const intent of intents) {
      expect(intent).toMatchObject({ purpose: 'STAFF', dedupeKey: `ticket-opened:${ticket.id}:${intent.staffId}`, channel: null, address: null, customerId: null, state: 'PENDING', storeId });
      expect(intent.sendAt.toISOString()).toBe('2026-11-22T02:00:00.000Z');
      expect(intent.expiresAt.toISOString()).toBe('2026-11-29T02:00:00.000Z');
      const body = text(intent.payload);
      for (const part of ['张伟', '138****5678', '顾问李明', '5 分', '价格透明', '报价前后不一致', `/admin/tickets/${ticket.id}`, 'TS-20261122-0001', '11月24日 10:00']) expect(body).toContain(part);
      expect(body).not.toContain('13812345678');
    }
    const alerts = await db().alert.findMany();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ storeId, kind: 'recall_opened', resolvedAt: null });
    expect(alerts[0]!.message).toContain('TS-20261122-0001');
    expect(alerts[0]!.message).not.toContain('13812345678');
    const audit = await db().auditEntry.findFirstOrThrow({ where: { entity: 'ticket', entityId: ticket.id } });
    expect(audit).toMatchObject({ action: 'ticket.opened', actorStaffId: null });
    expect(JSON.parse(audit.details)).toMatchObject({ type: 'RECALL', score: 5, surveyId });
  });

  it('opens one recall per survey, refuses a score of 8 or more, and falls back to the admins without managers', async () => {
    const first = await openRecall();
    expect((await openRecall()).id).toBe(first.id);
    expect(await db().ticket.count()).toBe(1);
    expect(await db().messageIntent.count()).toBe(2);
    expect(await db().alert.count()).toBe(1);

    await expect(openRecall({ surveyId: await survey('visit-2'), score: 8 })).rejects.toMatchObject({ code: 'score_not_low', field: 'score' });

    await db().staff.updateMany({ where: { role: 'MANAGER' }, data: { active: false } });
    const lonely = await openRecall({ surveyId: await survey('visit-3'), factor: null, comment: null });
    const intents = await db().messageIntent.findMany({ where: { dedupeKey: { startsWith: `ticket-opened:${lonely.id}:` } } });
    expect(intents.map((i) => i.staffId)).toEqual([adminId]);
    expect(text(intents[0]!.payload)).toContain('未说明');
  });

  it('escalates to the general manager (the admins) at 48 h exactly, not at 47:59, and only once', async () => {
    const ticket = await openRecall();
    t.clock.set(at(48 * HOUR - MINUTE));
    expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [], complaintIds: [] });
    expect(await intentsOf('ticket_escalated')).toHaveLength(0);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt).toBeNull();

    t.clock.set(at(48 * HOUR));
    expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [ticket.id], complaintIds: [] });
    const escalated = await intentsOf('ticket_escalated');
    expect(escalated.map((i) => [i.staffId, i.dedupeKey, i.purpose])).toEqual([[adminId, `ticket-escalated:${ticket.id}:${adminId}`, 'STAFF']]);
    expect(escalated[0]!.expiresAt.toISOString()).toBe(at(48 * HOUR + 7 * 24 * HOUR).toISOString());
    const body = text(escalated[0]!.payload);
    for (const part of ['TS-20261122-0001', '总经理', '张伟', '138****5678', '无人接单', `/admin/tickets/${ticket.id}`]) expect(body).toContain(part);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt?.toISOString()).toBe(at(48 * HOUR).toISOString());
    expect(await db().alert.count({ where: { kind: 'ticket_escalated' } })).toBe(1);
    expect(await db().auditEntry.count({ where: { action: 'ticket.escalated', entityId: ticket.id } })).toBe(1);

    t.clock.set(at(60 * HOUR));
    expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [], complaintIds: [] });
    expect(await intentsOf('ticket_escalated')).toHaveLength(1);
    expect(await db().alert.count({ where: { kind: 'ticket_escalated' } })).toBe(1);
  });

  it('does not escalate a recall closed in time; escalates one merely taken', async () => {
    const closed = await openRecall();
    const taken = await openRecall({ surveyId: await survey('visit-2') });
    await takeTicket(db(), t.clock, taken.id, managerIds[0]!);
    await closeTicket(db(), t.clock, closed.id, managerIds[0]!, { rootCause: '报价口径不统一', actionTaken: '经理致电道歉并说明', outcome: '客户接受' });
    t.clock.set(at(48 * HOUR));
    expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [taken.id], complaintIds: [] });
    expect(text((await intentsOf('ticket_escalated'))[0]!.payload)).toContain('展厅经理王芳');
  });
});

describe('complaint tickets', () => {
  it('must be taken within 30 minutes and alerts customer relations (front desk and managers) at once', async () => {
    const ticket = await openComplaint();
    expect(ticket).toMatchObject({ type: 'COMPLAINT', status: 'OPEN', reference: 'TS-20261122-0001', customerId, description: '试驾车辆卫生很差，顾问态度冷淡' });
    expect(ticket.dueAt.toISOString()).toBe(at(30 * MINUTE).toISOString());
    const intents = await intentsOf('ticket_opened');
    expect(sorted(intents.map((i) => i.staffId!))).toEqual(sorted([frontDeskId, ...managerIds]));
    expect(text(intents[0]!.payload)).toContain('试驾车辆卫生很差');
    expect(text(intents[0]!.payload)).toContain('10:30');
    expect(await db().alert.count({ where: { kind: 'complaint_opened' } })).toBe(1);
    await expect(db().$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId, description: '  ', source: 'phone' }))).rejects.toMatchObject({ code: 'description_missing' });
  });

  it('escalates to the managers at 30 minutes when nobody took it, once', async () => {
    const ticket = await openComplaint();
    t.clock.set(at(30 * MINUTE - 1000));
    expect((await escalateOverdueTickets(db(), t.clock)).complaintIds).toEqual([]);
    t.clock.set(at(30 * MINUTE));
    expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [], complaintIds: [ticket.id] });
    const escalated = await intentsOf('ticket_escalated');
    expect(sorted(escalated.map((i) => i.staffId!))).toEqual(sorted(managerIds));
    expect(escalated.every((i) => i.dedupeKey === `ticket-escalated:${ticket.id}:${i.staffId}`)).toBe(true);
    expect(text(escalated[0]!.payload)).toContain('30 分钟内无人接单');
    t.clock.set(at(2 * HOUR));
    expect((await escalateOverdueTickets(db(), t.clock)).complaintIds).toEqual([]);
    expect(await intentsOf('ticket_escalated')).toHaveLength(2);
  });

  it('is not escalated when someone took it in time', async () => {
    const ticket = await openComplaint();
    t.clock.set(at(10 * MINUTE));
    const taken = await takeTicket(db(), t.clock, ticket.id, frontDeskId);
    expect(taken).toMatchObject({ status: 'IN_PROGRESS', ownerStaffId: frontDeskId });
    expect(taken.takenAt?.toISOString()).toBe(at(10 * MINUTE).toISOString());
    expect(await db().auditEntry.count({ where: { action: 'ticket.taken', entityId: ticket.id, actorStaffId: frontDeskId } })).toBe(1);
    await expect(takeTicket(db(), t.clock, ticket.id, managerIds[0]!)).rejects.toMatchObject({ code: 'ticket_taken' });
    for (const minutes of [30, 60, 24 * 60]) {
      t.clock.set(at(minutes * MINUTE));
      expect(await escalateOverdueTickets(db(), t.clock)).toEqual({ recallIds: [], complaintIds: [] });
    }
    expect(await intentsOf('ticket_escalated')).toHaveLength(0);
  });

  it('runs as a 5-minute calendar job in the store\'s time zone that catches up', async () => {
    const ticket = await openComplaint();
    const job = ticketEscalationJob(db(), t.clock, silentLogger, { id: storeId, timeZone: 'Asia/Shanghai' });
    expect(job).toMatchObject({ cron: '*/5 * * * *', timeZone: 'Asia/Shanghai', missed: 'catch-up', name: `ticket-escalation:${storeId}` });
    await fireDueJobs(db(), t.clock, silentLogger, [job]);
    t.clock.set(at(25 * MINUTE)); // nothing overdue yet: the look finds no work and leaves the slot
    expect((await fireDueJobs(db(), t.clock, silentLogger, [job])).map((r) => r.outcome)).toEqual(['idle']);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt).toBeNull();
    t.clock.set(at(31 * MINUTE)); // the 10:30 slot fired at 10:31
    expect((await fireDueJobs(db(), t.clock, silentLogger, [job])).map((r) => r.outcome)).toEqual(['fired']);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt?.toISOString()).toBe(at(31 * MINUTE).toISOString());
  });
});

describe('closing a ticket', () => {
  const resolution = { rootCause: '报价口径不统一', actionTaken: '经理致电道歉并补送保养券', outcome: '客户接受，愿意再来店' };

  it('is refused without a root cause, the action taken or the outcome, naming the field', async () => {
    const ticket = await openRecall();
    const refusal = (input: Partial<typeof resolution>) => closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { ...resolution, ...input });
    await expect(refusal({ rootCause: '' })).rejects.toMatchObject({ name: 'TicketError', code: 'root_cause_missing', field: 'rootCause' });
    await expect(refusal({ actionTaken: '   ' })).rejects.toMatchObject({ code: 'action_missing', field: 'actionTaken' });
    await expect(refusal({ outcome: '' })).rejects.toMatchObject({ code: 'outcome_missing', field: 'outcome' });
    const all = await closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { rootCause: '', actionTaken: '', outcome: '' }).catch((e: unknown) => e);
    expect(all).toBeInstanceOf(TicketError);
    expect(Object.keys((all as TicketError).fields)).toEqual(['rootCause', 'actionTaken', 'outcome']);
    await expect(closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { ...resolution, finalSatisfaction: 11 })).rejects.toMatchObject({ code: 'satisfaction_invalid', field: 'finalSatisfaction' });
    await expect(closeTicket(db(), t.clock, ticket.id, consultantId + 'x', resolution)).rejects.toMatchObject({ code: 'staff_invalid' });
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe('OPEN');
    expect(await db().auditEntry.count({ where: { action: 'ticket.closed' } })).toBe(0);
  });

  it('closes with all fields, records who and when, and audits it', async () => {
    const ticket = await openRecall();
    await takeTicket(db(), t.clock, ticket.id, managerIds[0]!);
    t.clock.set(at(20 * HOUR));
    const closed = await closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { ...resolution, finalSatisfaction: 9, reSurvey: true });
    expect(closed).toMatchObject({ status: 'CLOSED', closedByStaffId: managerIds[0], ownerStaffId: managerIds[0], ...resolution, finalSatisfaction: 9 });
    expect(closed.closedAt?.toISOString()).toBe(at(20 * HOUR).toISOString());
    const audit = await db().auditEntry.findFirstOrThrow({ where: { action: 'ticket.closed', entityId: ticket.id } });
    expect(audit.actorStaffId).toBe(managerIds[0]);
    expect(JSON.parse(audit.details)).toMatchObject({ ...resolution, finalSatisfaction: 9, reSurvey: true, reference: 'TS-20261122-0001' });
    await expect(closeTicket(db(), t.clock, ticket.id, managerIds[0]!, resolution)).rejects.toMatchObject({ code: 'ticket_closed' });
    await expect(takeTicket(db(), t.clock, ticket.id, managerIds[1]!)).rejects.toMatchObject({ code: 'ticket_closed' });
  });

  it('a complaint nobody took is owned by whoever closes it', async () => {
    const ticket = await openComplaint();
    const closed = await closeTicket(db(), t.clock, ticket.id, frontDeskId, resolution);
    expect(closed).toMatchObject({ status: 'CLOSED', ownerStaffId: frontDeskId, finalSatisfaction: null });
    t.clock.set(at(HOUR));
    expect((await escalateOverdueTickets(db(), t.clock)).complaintIds).toEqual([]);
  });
});

describe('ticket references', () => {
  it('number tickets per store and local day: TS-YYYYMMDD-NNNN', async () => {
    const refs = [(await openRecall()).reference, (await openComplaint()).reference, (await openComplaint()).reference];
    expect(refs).toEqual(['TS-20261122-0001', 'TS-20261122-0002', 'TS-20261122-0003']);
    t.clock.set('2026-11-22T15:59:00Z'); // 23:59 in Shanghai: still the 22nd
    expect((await openComplaint()).reference).toBe('TS-20261122-0004');
    t.clock.set('2026-11-22T16:00:00Z'); // midnight in Shanghai
    expect((await openComplaint()).reference).toBe('TS-20261123-0001');
    expect((await openComplaint()).reference).toBe('TS-20261123-0002');
  });

  it('stay unique with a second store, which counts its own local day', async () => {
    const store = await db().store.findUniqueOrThrow({ where: { id: storeId } });
    const other = await db().store.create({ data: { groupId: store.groupId, name: '纽约店', timeZone: 'America/New_York' } });
    const complaintAt = (id: string) => db().$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId: id, description: '等候太久', source: 'walk_in' }));
    expect((await complaintAt(storeId)).reference).toBe('TS-20261122-0001');
    expect((await complaintAt(other.id)).reference).toBe('TS-20261121-0001'); // 21:00 on the 21st in New York
    await db().store.update({ where: { id: other.id }, data: { timeZone: 'Asia/Shanghai' } });
    const shared = await complaintAt(other.id);
    expect(shared.reference).toMatch(/^TS-20261122-\d{4}$/);
    expect(shared.reference).not.toBe('TS-20261122-0001');
    expect((await complaintAt(storeId)).reference).not.toBe(shared.reference);
    expect(new Set((await db().ticket.findMany()).map((x) => x.reference)).size).toBe(4);
  });
});

describe('re-survey on closing', () => {
  it('asks the customer again the next day at 10:00, even inside the repeat window', async () => {
    const ticket = await openRecall();
    await closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { rootCause: '等候时间长', actionTaken: '增加周末接待人手', outcome: '客户表示理解', finalSatisfaction: 8, reSurvey: true });
    const again = await db().survey.findFirstOrThrow({ where: { subjectId: `resurvey:${ticket.id}` } });
    expect(again.sendAt.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    const question = await db().messageIntent.findFirstOrThrow({ where: { dedupeKey: `survey:${again.id}` } });
    expect(JSON.parse(question.payload).text).toContain('处理结果的满意度');
  });

  it('schedules nothing without the request', async () => {
    const ticket = await openRecall();
    await closeTicket(db(), t.clock, ticket.id, managerIds[0]!, { rootCause: 'a', actionTaken: 'b', outcome: 'c' });
    expect(await db().survey.count({ where: { subjectId: `resurvey:${ticket.id}` } })).toBe(0);
  });
});
