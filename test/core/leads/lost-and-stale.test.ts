// Lost requests (战败) with manager approval and rejection, reassignment, and stale leads put to
// the manager at 3 months and moved to the marketing pool at 9 — all on a fixed clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LeadActionError, type LeadActor } from '../../../core/leads/log-follow-up.ts';
import { decideLost, requestLost } from '../../../core/leads/lost-request.ts';
import { reassignLead } from '../../../core/leads/reassign-lead.ts';
import { staleLeadsJob, suggestOwner } from '../../../core/leads/stale-leads-job.ts';
import { silentLogger } from '../../../core/logger.ts';
import { todayList } from '../../../core/staff/today-list.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const DAY = 24 * 3600_000;
let t: TestApp;
let consultant: LeadActor;
let manager: LeadActor;

beforeEach(async () => {
  t = await createTestApp();
  const staff = (name: string, role: 'CONSULTANT' | 'MANAGER', extra: { senior?: boolean } = {}) =>
    t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role, ...extra } });
  consultant = { staffId: (await staff('李顾问', 'CONSULTANT')).id, storeId: t.setup.storeId, role: 'CONSULTANT' };
  manager = { staffId: (await staff('王经理', 'MANAGER')).id, storeId: t.setup.storeId, role: 'MANAGER' };
});
afterEach(async () => {
  await t.close();
});

const register = async (phone: string) => {
  const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone, modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true, marketingConsent: true } });
  expect(response.statusCode).toBe(201);
  return t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: `+86${phone}` } } });
};
const staffMessages = (kind: string) => t.ctx.db.messageIntent.findMany({ where: { kind }, orderBy: { createdAt: 'asc' } });
const code = async (promise: Promise<unknown>) => ((await promise.then(() => null, (e: unknown) => e)) as LeadActionError | null)?.code;

describe('lost requests', () => {
  it('a consultant requests, the managers are told, the manager approves level 2: F with the reason, customer care goes on', async () => {
    const lead = await register('13800000001');
    const { request } = await requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 2, reason: '已在别家买了', competitorModel: 'Model Y' });
    const [toManager] = await staffMessages('lost_request');
    expect(toManager).toMatchObject({ staffId: manager.staffId, purpose: 'STAFF' });
    expect(JSON.parse(toManager?.payload ?? '{}').text).toContain('Model Y');
    expect(await code(requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 2, reason: '再来一次' }))).toBe('lost_pending');

    await decideLost(t.ctx.db, t.clock, manager, request.id, { approve: true });
    expect(await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ grade: 'F', lostLevel: 2, lostReason: '已在别家买了', nextFollowUpAt: null });
    expect((await t.ctx.db.customer.findUniqueOrThrow({ where: { id: lead.customerId } })).careStoppedAt).toBeNull();
    expect(await t.ctx.db.messageIntent.count({ where: { customerId: lead.customerId, state: 'PENDING' } })).toBeGreaterThan(0);
    const [toConsultant] = await staffMessages('lost_decision');
    expect(toConsultant?.staffId).toBe(consultant.staffId);
    expect(await t.ctx.db.auditEntry.count({ where: { entityId: lead.id, action: { in: ['lost_requested', 'lost_approved'] } } })).toBe(2);
    expect(await code(decideLost(t.ctx.db, t.clock, manager, request.id, { approve: true }))).toBe('request_decided');
  });

  it('approving level 1 (wrong number) stops all customer care: pending messages and surveys cancelled', async () => {
    const lead = await register('13800000002');
    const pending = await t.ctx.db.messageIntent.count({ where: { customerId: lead.customerId, state: 'PENDING' } });
    expect(pending).toBeGreaterThan(0);
    const { request } = await requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 1, reason: '空号' });
    await decideLost(t.ctx.db, t.clock, manager, request.id, { approve: true });
    expect((await t.ctx.db.customer.findUniqueOrThrow({ where: { id: lead.customerId } })).careStoppedAt).not.toBeNull();
    expect(await t.ctx.db.messageIntent.count({ where: { customerId: lead.customerId, state: 'PENDING' } })).toBe(0);
    expect(await t.ctx.db.survey.count({ where: { customerId: lead.customerId, state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] } } })).toBe(0);
  });

  it('approving level 3 (no need now) is not lost: C on the C cadence, still the consultant\'s', async () => {
    const lead = await register('13800000003');
    const { request } = await requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 3, reason: '明年再说' });
    await decideLost(t.ctx.db, t.clock, manager, request.id, { approve: true });
    const after = await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after).toMatchObject({ grade: 'C', lostLevel: 3, ownerStaffId: lead.ownerStaffId });
    expect(after.nextFollowUpAt?.getTime()).toBe(t.clock.now().getTime() + 15 * DAY);
  });

  it('a rejection sends the lead back with the manager\'s grade and date', async () => {
    const lead = await register('13800000004');
    const { request } = await requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 2, reason: '说不买了' });
    const next = new Date(t.clock.now().getTime() + 5 * DAY);
    await decideLost(t.ctx.db, t.clock, manager, request.id, { approve: false, grade: 'B', nextFollowUpAt: next, note: '再约一次试驾' });
    expect(await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ grade: 'B', nextFollowUpAt: next, lostLevel: null });
    expect(await t.ctx.db.lostRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: 'REJECTED', decisionNote: '再约一次试驾', decidedById: manager.staffId });
    expect(JSON.parse((await staffMessages('lost_decision'))[0]?.payload ?? '{}').text).toContain('驳回');
  });

  it('refuses what is not allowed', async () => {
    const lead = await register('13800000005');
    const other: LeadActor = { staffId: (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张顾问', role: 'CONSULTANT' } })).id, storeId: t.setup.storeId, role: 'CONSULTANT' };
    expect(await code(requestLost(t.ctx.db, t.clock, other, lead.id, { level: 2, reason: 'x' }))).toBe('not_allowed');
    expect(await code(requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 4, reason: 'x' }))).toBe('level_invalid');
    expect(await code(requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 2, reason: '  ' }))).toBe('reason_invalid');
    const { request } = await requestLost(t.ctx.db, t.clock, consultant, lead.id, { level: 2, reason: '买了别家' });
    expect(await code(decideLost(t.ctx.db, t.clock, consultant, request.id, { approve: true }))).toBe('managers_only');
    expect(await code(decideLost(t.ctx.db, t.clock, manager, request.id, { approve: false, grade: 'F', nextFollowUpAt: new Date(t.clock.now().getTime() + DAY) }))).toBe('grade_not_allowed');
    expect(await code(decideLost(t.ctx.db, t.clock, manager, request.id, { approve: false, grade: 'B', nextFollowUpAt: t.clock.now() }))).toBe('next_in_past');
    const otherStore = await t.ctx.db.store.create({ data: { groupId: (await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } })).groupId, name: '二店', timeZone: 'Asia/Shanghai' } });
    const foreignManager: LeadActor = { staffId: (await t.ctx.db.staff.create({ data: { storeId: otherStore.id, name: '外店经理', role: 'MANAGER' } })).id, storeId: otherStore.id, role: 'MANAGER' };
    expect(await code(decideLost(t.ctx.db, t.clock, foreignManager, request.id, { approve: true }))).toBe('request_not_found');
  });
});

describe('reassignment', () => {
  it('a manager moves a lead to another consultant, audited, and the new owner is told', async () => {
    const lead = await register('13800000006');
    const to = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张顾问', role: 'CONSULTANT' } });
    expect(await code(reassignLead(t.ctx.db, t.clock, consultant, lead.id, to.id))).toBe('managers_only');
    expect(await code(reassignLead(t.ctx.db, t.clock, manager, lead.id, manager.staffId))).toBe('consultant_invalid');
    await reassignLead(t.ctx.db, t.clock, manager, lead.id, to.id);
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).ownerStaffId).toBe(to.id);
    expect(await code(reassignLead(t.ctx.db, t.clock, manager, lead.id, to.id))).toBe('same_owner');
    expect(JSON.parse((await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'lead_reassigned' } })).details)).toEqual({ from: lead.ownerStaffId, to: to.id });
    expect((await staffMessages('lead_reassigned'))[0]?.staffId).toBe(to.id);
  });
});

describe('stale leads', () => {
  const runJob = () => staleLeadsJob(t.ctx.db, t.clock, silentLogger, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }).run(t.clock.now());

  it('puts a lead to the managers at 3 months once, suggesting a senior consultant, and moves it to the pool at 9', async () => {
    const senior = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '资深顾问', role: 'CONSULTANT', senior: true } });
    const lead = await register('13800000007'); // first visit 2026-11-22 10:00 Shanghai
    expect(lead.ownerStaffId).not.toBe(senior.id);
    t.clock.set('2027-02-21T02:00:00Z'); // 2 months 30 days
    await runJob();
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).staleFlaggedAt).toBeNull();
    t.clock.set('2027-02-22T02:00:00Z'); // 3 calendar months
    await runJob();
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).staleFlaggedAt).not.toBeNull();
    const messages = await staffMessages('stale_leads');
    expect(messages.map((m) => m.staffId)).toEqual([manager.staffId]);
    const text = JSON.parse(messages[0]?.payload ?? '{}').text as string;
    expect(text).toContain('王芳（138****0007）N级，顾问 李顾问 → 建议转给 资深顾问（资深）');
    expect(text).not.toContain('13800000007');
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'lead_stale_flagged', entityId: lead.id } })).toBe(1);
    t.clock.advance(DAY);
    await runJob();
    expect(await staffMessages('stale_leads')).toHaveLength(1);
    await reassignLead(t.ctx.db, t.clock, manager, lead.id, senior.id); // the manager acts on it
    t.clock.advance(DAY);
    await runJob();
    expect(await staffMessages('stale_leads')).toHaveLength(1); // not put to them again

    t.clock.set('2027-08-21T02:00:00Z'); // a day short of 9 months
    await runJob();
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).pool).toBe('ACTIVE');
    t.clock.set('2027-08-22T02:00:00Z');
    await runJob();
    const pooled = await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(pooled).toMatchObject({ pool: 'MARKETING', nextFollowUpAt: null });
    expect(JSON.parse((await staffMessages('stale_leads'))[1]?.payload ?? '{}').text).toContain('转入营销池');
    const owner: LeadActor = { staffId: lead.ownerStaffId ?? '', storeId: t.setup.storeId, role: 'CONSULTANT' };
    expect(await todayList(t.ctx.db, t.clock, owner)).toEqual([]);
  });

  it('leaves converted and lost leads alone', async () => {
    const lead = await register('13800000008');
    await t.ctx.db.lead.update({ where: { id: lead.id }, data: { grade: 'O' } });
    t.clock.set('2027-09-01T02:00:00Z');
    await runJob();
    expect(await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ pool: 'ACTIVE', staleFlaggedAt: null });
    expect(await staffMessages('stale_leads')).toHaveLength(0);
  });

  it('suggests the least loaded senior consultant, or the least loaded of all when the store says so or has no senior', () => {
    const team = () => [
      { id: 'a', name: 'A', senior: true, load: 5 }, { id: 'b', name: 'B', senior: true, load: 2 },
      { id: 'c', name: 'C', senior: false, load: 0 }, { id: 'owner', name: 'O', senior: true, load: 0 },
    ];
    expect(suggestOwner(team(), 'owner', 'senior')?.id).toBe('b');
    expect(suggestOwner(team(), 'owner', 'least_loaded')?.id).toBe('c');
    expect(suggestOwner(team().map((c) => ({ ...c, senior: false })), 'owner', 'senior')?.id).toBe('c');
    const spread = team();
    expect([suggestOwner(spread, 'owner', 'senior')?.id, suggestOwner(spread, 'owner', 'senior')?.id, suggestOwner(spread, 'owner', 'senior')?.id, suggestOwner(spread, 'owner', 'senior')?.id]).toEqual(['b', 'b', 'b', 'a']);
  });
});
