import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gradeWindowPassed, proposeNextFollowUp } from '../../../core/leads/cadence.ts';
import { parseLeadSettings } from '../../../core/leads/lead-settings.ts';
import { type LeadActionError, logFollowUp } from '../../../core/leads/log-follow-up.ts';
import { formatTodayList, todayList, type TodayItem } from '../../../core/staff/today-list.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const DAY = 24 * 3600_000;
const defaults = parseLeadSettings('{}');
const at = new Date('2026-11-22T02:00:00Z');

describe('cadence', () => {
  it.each([
    ['H', 1], ['A', 3], ['B', 7], ['C', 15], ['N', 1],
  ] as const)('proposes the next follow-up of a %s lead %d day(s) later', (grade, days) => {
    expect(proposeNextFollowUp(grade, at, defaults)?.getTime()).toBe(at.getTime() + days * DAY);
  });

  it.each(['O', 'D', 'F'] as const)('proposes none for %s (the journeys and the pool take over)', (grade) => {
    expect(proposeNextFollowUp(grade, at, defaults)).toBeNull();
  });

  it('follows the store\'s own cadence', () => {
    const store = parseLeadSettings(JSON.stringify({ cadenceDays: { H: 2, A: 4, B: 10, C: 20 } }));
    expect(proposeNextFollowUp('B', at, store)?.getTime()).toBe(at.getTime() + 10 * DAY);
    expect(() => parseLeadSettings(JSON.stringify({ cadenceDays: { H: 0 } }))).toThrow(/cadenceDays\.H/);
  });

  it('says when a grade\'s purchase window has passed', () => {
    expect(gradeWindowPassed('H', at, new Date(at.getTime() + 7 * DAY), defaults)).toBe(false);
    expect(gradeWindowPassed('H', at, new Date(at.getTime() + 7 * DAY + 1), defaults)).toBe(true);
    expect(gradeWindowPassed('C', at, new Date(at.getTime() + 60 * DAY), defaults)).toBe(false);
    expect(gradeWindowPassed('O', at, new Date(at.getTime() + 999 * DAY), defaults)).toBe(false);
  });
});

describe('leads', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const consultant = (name: string, extra: { onDuty?: boolean } = {}) =>
    t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role: 'CONSULTANT', ...extra } });
  const register = (phone: string, source = 'showroom') =>
    t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source, name: '客户', phone, modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true } });
  const leadOf = async (phone: string) => t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone } } });

  it('creates an N lead on the first visit, due to be graded within a day, and keeps it on the next', async () => {
    await register('13800000001');
    const lead = await leadOf('+8613800000001');
    expect(lead).toMatchObject({ grade: 'N', source: 'online', pool: 'ACTIVE' });
    expect(lead.nextFollowUpAt?.getTime()).toBe(t.clock.now().getTime() + DAY);
    await register('13800000001');
    expect(await t.ctx.db.lead.count()).toBe(1);
  });

  it('gives the lead to the QR code\'s consultant', async () => {
    const li = await consultant('李顾问');
    await t.ctx.db.qrSource.update({ where: { code: 'showroom' }, data: { consultantId: li.id } });
    await register('13800000002');
    expect((await leadOf('+8613800000002')).ownerStaffId).toBe(li.id);
    expect((await t.ctx.db.visit.findFirstOrThrow()).consultantId).toBe(li.id);
  });

  it('otherwise deals leads round-robin among the consultants on duty', async () => {
    const a = await consultant('甲');
    const b = await consultant('乙');
    await consultant('丙（休息）', { onDuty: false });
    for (const phone of ['13800000003', '13800000004', '13800000005']) {
      await register(phone);
      t.clock.advance(60_000);
    }
    const owners = await Promise.all(['+8613800000003', '+8613800000004', '+8613800000005'].map(async (p) => (await leadOf(p)).ownerStaffId));
    expect(owners).toEqual([a.id, b.id, a.id]);
    const visit = await t.ctx.db.visit.findFirstOrThrow({ where: { customer: { phone: '+8613800000003' } } });
    expect(visit.consultantId).toBe(a.id);
  });

  it('records a follow-up with the new grade and the cadence\'s next date', async () => {
    const li = await consultant('李顾问');
    await register('13800000006');
    const lead = await leadOf('+8613800000006');
    const actor = { staffId: li.id, storeId: t.setup.storeId, role: 'CONSULTANT' as const };
    const { lead: graded, followUp } = await logFollowUp(t.ctx.db, t.clock, actor, lead.id, { way: 'call', note: '约周六试驾', grade: 'A' });
    expect(graded).toMatchObject({ grade: 'A', gradedAt: t.clock.now() });
    expect(graded.nextFollowUpAt?.getTime()).toBe(t.clock.now().getTime() + 3 * DAY);
    expect(followUp).toMatchObject({ gradeBefore: 'N', gradeAfter: 'A', way: 'call', note: '约周六试驾' });
    const chosen = new Date(t.clock.now().getTime() + 2 * DAY);
    expect((await logFollowUp(t.ctx.db, t.clock, actor, lead.id, { way: 'test_drive', note: '试驾满意', grade: 'H', nextFollowUpAt: chosen })).lead.nextFollowUpAt).toEqual(chosen);
  });

  it('prompts a re-grade in the today list once the grade\'s purchase window has passed', async () => {
    const li = await consultant('李顾问');
    await register('13800000007');
    const lead = await leadOf('+8613800000007');
    const actor = { staffId: li.id, storeId: t.setup.storeId, role: 'CONSULTANT' as const };
    await logFollowUp(t.ctx.db, t.clock, actor, lead.id, { way: 'call', note: '这周就买', grade: 'H', nextFollowUpAt: new Date(t.clock.now().getTime() + 30 * DAY) });
    t.clock.advance(7 * DAY);
    expect(await todayList(t.ctx.db, t.clock, actor)).toEqual([]);
    t.clock.advance(60_000);
    const [item] = await todayList(t.ctx.db, t.clock, actor);
    expect(item).toMatchObject({ leadId: lead.id, regrade: true, overdue: false });
    expect(formatTodayList([item as TodayItem], 'Asia/Shanghai')).toContain('H级（购买期已过，请重新定级）');
  });

  it('refuses mistakes with the field named, and another consultant\'s lead', async () => {
    const li = await consultant('李顾问');
    const wang = await consultant('王顾问');
    await register('13800000007');
    const lead = await leadOf('+8613800000007');
    const as = (staffId: string, role: 'CONSULTANT' | 'MANAGER' = 'CONSULTANT') => ({ staffId, storeId: t.setup.storeId, role });
    const owner = lead.ownerStaffId === li.id ? li : wang;
    const other = owner === li ? wang : li;
    const attempt = (actor: ReturnType<typeof as>, input: Partial<{ way: string; note: string; grade: string; nextFollowUpAt: Date }>) =>
      logFollowUp(t.ctx.db, t.clock, actor, lead.id, { way: 'call', note: '电话', grade: 'B', ...input }).catch((e: unknown) => e as LeadActionError);
    expect(await attempt(as(owner.id), { way: 'fax' })).toMatchObject({ code: 'way_invalid', field: 'way' });
    expect(await attempt(as(owner.id), { note: '  ' })).toMatchObject({ code: 'note_missing' });
    expect(await attempt(as(owner.id), { grade: 'F' })).toMatchObject({ code: 'grade_not_allowed' });
    expect(await attempt(as(owner.id), { nextFollowUpAt: new Date(t.clock.now().getTime() - 1) })).toMatchObject({ code: 'next_in_past' });
    expect(await attempt(as(other.id), {})).toMatchObject({ code: 'not_allowed' });
    expect(await t.ctx.db.followUp.count()).toBe(0);
    const manager = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '经理', role: 'MANAGER' } });
    expect((await logFollowUp(t.ctx.db, t.clock, as(manager.id, 'MANAGER'), lead.id, { way: 'call', note: '经理回访', grade: 'B' })).lead.grade).toBe('B');
  });
});
