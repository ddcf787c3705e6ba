// The manager's lead view (issue #18): filters, a lead's whole history in time order, the
// manager's actions on it, consultants limited to their own, phones masked for roles that do not
// call customers; and leads who phoned in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../core/staff/run-command.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
const staff: Record<string, string> = {};
const cookie: Record<string, string> = {};
const DAY = 24 * 3600_000;

beforeEach(async () => {
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440', REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '1000' });
  const add = async (key: string, name: string, role: 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK') => {
    staff[key] = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role } })).id;
  };
  await add('me', '李顾问', 'CONSULTANT');
  await add('colleague', '赵顾问', 'CONSULTANT');
  await add('manager', '孙经理', 'MANAGER');
  await add('desk', '钱前台', 'FRONT_DESK');
  staff.admin = t.setup.adminStaffId;
  for (const key of Object.keys(staff)) cookie[key] = await signIn(t, staff[key] ?? '');
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie[who] ?? '' } });
const post = (url: string, who: string, fields: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie[who] ?? '' } });
const actor = (who: string) => ({ staffId: staff[who] ?? '', storeId: t.setup.storeId, role: who === 'manager' ? 'MANAGER' as const : 'CONSULTANT' as const });

/** A walk-in registered through the API, their lead given to `owner`. */
async function walkIn(phone: string, name: string, owner: string): Promise<{ customerId: string; leadId: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name, phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
  expect(response.statusCode).toBe(201);
  const lead = await t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: `+86${phone}` } } });
  await t.ctx.db.lead.update({ where: { id: lead.id }, data: { ownerStaffId: staff[owner] ?? null } });
  return { customerId: lead.customerId, leadId: lead.id };
}

const rowsOf = (body: string) => [...body.matchAll(/data-lead="([^"]+)"><td>/g)].map((m) => m[1]);

describe('the leads page', () => {
  it('lists a consultant only their own leads, a manager all of them, with the filters', async () => {
    const mine = await walkIn('13900000001', '王芳', 'me');
    const theirs = await walkIn('13900000002', '周杰', 'colleague');
    await runStaffCommand(t.ctx.db, t.clock, actor('colleague'), '定级 13900000002 H');
    expect(rowsOf((await get('/admin/leads', 'me')).body)).toEqual([mine.leadId]);
    // A consultant cannot widen the list by asking for someone else's.
    expect(rowsOf((await get(`/admin/leads?consultant=${staff.colleague}`, 'me')).body)).toEqual([mine.leadId]);
    expect(new Set(rowsOf((await get('/admin/leads', 'manager')).body))).toEqual(new Set([mine.leadId, theirs.leadId]));
    expect(rowsOf((await get(`/admin/leads?consultant=${staff.colleague}`, 'manager')).body)).toEqual([theirs.leadId]);
    expect(rowsOf((await get('/admin/leads?grade=H', 'manager')).body)).toEqual([theirs.leadId]);
    expect(rowsOf((await get('/admin/leads?source=phone', 'manager')).body)).toEqual([]);
    expect(rowsOf((await get('/admin/leads?overdue=1', 'manager')).body)).toEqual([]);
    t.clock.advance(2 * DAY); // the N lead's grading deadline (1 day) passed; H's 1-day cadence too
    cookie.manager = await signIn(t, staff.manager ?? ''); // the session idled out meanwhile
    expect(new Set(rowsOf((await get('/admin/leads?overdue=1', 'manager')).body))).toEqual(new Set([mine.leadId, theirs.leadId]));
    await t.ctx.db.lead.update({ where: { id: mine.leadId }, data: { staleFlaggedAt: t.clock.now() } });
    expect(rowsOf((await get('/admin/leads?stale=1', 'manager')).body)).toEqual([mine.leadId]);
    await t.ctx.db.lead.update({ where: { id: theirs.leadId }, data: { pool: 'MARKETING', pooledAt: t.clock.now() } });
    expect(rowsOf((await get('/admin/leads?pooled=1', 'manager')).body)).toEqual([theirs.leadId]);
    expect(rowsOf((await get('/admin/leads?from=2026-11-22&to=2026-11-22', 'manager')).body).length).toBe(2);
    expect(rowsOf((await get('/admin/leads?from=2026-11-23', 'manager')).body)).toEqual([]);
    const list = (await get('/admin/leads', 'manager')).body;
    expect(list).toContain('139****0001');
    expect(list).not.toContain('13900000001');
  });

  it('shows a lead\'s whole history in time order, and refuses other consultants and other stores', async () => {
    const { leadId, customerId } = await walkIn('13900000003', '陈静', 'me');
    t.clock.advance(3600_000);
    await runStaffCommand(t.ctx.db, t.clock, actor('me'), '跟进 13900000003 电话 A 约周六来店试驾');
    t.clock.advance(3600_000);
    await runStaffCommand(t.ctx.db, t.clock, actor('me'), '定级 13900000003 H');
    await t.ctx.db.messageIntent.updateMany({ where: { customerId, kind: 'visit_thanks' }, data: { state: 'SENT', sentAt: new Date(t.clock.now().getTime() - 1800_000) } });
    const page = await get(`/admin/leads/${leadId}`, 'me');
    expect(page.statusCode).toBe(200);
    const kinds = [...page.body.matchAll(/<li data-kind="([a-z_]+)">/g)].map((m) => m[1]);
    expect(kinds).toEqual(['visit', 'consent', 'consent', 'voucher', 'follow_up', 'message', 'change']);
    expect(page.body).toContain('约周六来店试驾（N→A）');
    expect(page.body).toContain('级别 A→H');
    expect(page.body).toContain('13900000003'.replace(/^/, '+86')); // its consultant calls them: the full number
    expect((await get(`/admin/leads/${leadId}`, 'colleague')).statusCode).toBe(403);
    expect((await get(`/admin/leads/${leadId}`, 'desk')).statusCode).toBe(403);
    const admin = await get(`/admin/leads/${leadId}`, 'admin');
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('139****0003');
    expect(admin.body).not.toContain('+8613900000003');
    expect((await get(`/admin/leads/${leadId}`, 'manager')).body).toContain('+8613900000003');
    const group = (await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } })).groupId;
    const other = await t.ctx.db.store.create({ data: { groupId: group, name: '二号店', timeZone: 'Asia/Shanghai' } });
    const foreign = await t.ctx.db.lead.create({ data: { storeId: other.id, customerId, source: 'walk_in', firstVisitAt: t.clock.now() } });
    expect((await get(`/admin/leads/${foreign.id}`, 'manager')).statusCode).toBe(404);
  });

  it('lets a manager reassign, grade and decide a lost request there; a consultant may grade their own only', async () => {
    const { leadId } = await walkIn('13900000004', '刘洋', 'me');
    expect((await post(`/admin/leads/${leadId}/reassign`, 'me', { toStaffId: staff.colleague ?? '' })).statusCode).toBe(403);
    expect((await post(`/admin/leads/${leadId}/grade`, 'colleague', { grade: 'B' })).statusCode).toBe(403);
    const graded = await post(`/admin/leads/${leadId}/grade`, 'me', { grade: 'B', next: '2026-11-25T10:00' });
    expect(graded.statusCode).toBe(200);
    expect(await t.ctx.db.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ grade: 'B', nextFollowUpAt: new Date('2026-11-25T02:00:00Z') });
    expect((await post(`/admin/leads/${leadId}/grade`, 'me', { grade: 'B', next: '2020-01-01T10:00' })).statusCode).toBe(400);
    const moved = await post(`/admin/leads/${leadId}/reassign`, 'manager', { toStaffId: staff.colleague ?? '' });
    expect(moved.statusCode).toBe(200);
    expect(moved.body).toContain('已转交给 赵顾问');
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: leadId } })).ownerStaffId).toBe(staff.colleague);
    await runStaffCommand(t.ctx.db, t.clock, actor('colleague'), '战败 13900000004 2 已在别家买了 竞品 Model Y');
    expect((await get(`/admin/leads/${leadId}`, 'manager')).body).toContain('已在别家买了');
    const approved = await post(`/admin/leads/${leadId}/lost`, 'manager', { decision: 'approve', note: '核实过' });
    expect(approved.statusCode).toBe(200);
    expect((await t.ctx.db.lead.findUniqueOrThrow({ where: { id: leadId } })).grade).toBe('F');
    expect(approved.body).toContain('批准战败');
  });
});

describe('leads who phoned or wrote in', () => {
  it('adds one without a voucher, a visit or any consent pretended; a duplicate number finds the existing lead', async () => {
    const response = await post('/admin/leads', 'me', { name: '黄磊', phone: '139 0000 0005', source: 'phone', model: '城市SUV', grade: 'A', next: '', ownerStaffId: '' });
    expect(response.statusCode).toBe(303);
    const lead = await t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: '+8613900000005' } } });
    expect(lead).toMatchObject({ ownerStaffId: staff.me, grade: 'A', source: 'phone', modelOfInterest: '城市SUV' });
    expect(lead.nextFollowUpAt).toEqual(new Date(t.clock.now().getTime() + 3 * DAY));
    expect(await t.ctx.db.consentRecord.count({ where: { customerId: lead.customerId } })).toBe(0);
    expect(await t.ctx.db.visit.count({ where: { customerId: lead.customerId } })).toBe(0);
    expect(await t.ctx.db.voucher.count({ where: { customerId: lead.customerId } })).toBe(0);
    expect(await t.ctx.db.messageIntent.count({ where: { customerId: lead.customerId } })).toBe(0);
    // The same number again, typed differently, by the manager: the existing lead, nothing new.
    const again = await post('/admin/leads', 'manager', { name: '黄先生', phone: '+86 13900000005', source: 'online', model: '', grade: 'H', ownerStaffId: staff.colleague ?? '', serviceConsent: '1' });
    expect(again.headers.location).toBe(`/admin/leads/${lead.id}?existing=1`);
    expect(await t.ctx.db.customer.count({ where: { phone: '+8613900000005' } })).toBe(1);
    expect(await t.ctx.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ grade: 'A', ownerStaffId: staff.me });
    expect((await get(`/admin/leads/${lead.id}?existing=1`, 'manager')).body).toContain('没有重复登记');
  });

  it('records service consent only when the customer gave it on the call, never marketing; the owner is told', async () => {
    await post('/admin/leads', 'desk', { name: '吴敏', phone: '13900000006', source: 'online', model: '', grade: 'N', ownerStaffId: staff.colleague ?? '', serviceConsent: '1' });
    const lead = await t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: '+8613900000006' } } });
    expect(lead.ownerStaffId).toBe(staff.colleague);
    const consents = await t.ctx.db.consentRecord.findMany({ where: { customerId: lead.customerId } });
    expect(consents.map((c) => [c.purpose, c.granted, c.source])).toEqual([['SERVICE', true, `staff-call:${staff.desk}`]]);
    expect(await t.ctx.db.messageIntent.count({ where: { staffId: staff.colleague, kind: 'lead_added' } })).toBe(1);
  });

  it('names every bad field at once and stores nothing', async () => {
    const response = await post('/admin/leads', 'me', { name: '', phone: '12345', source: 'walk_in', model: '飞船', grade: 'O', next: 'tomorrow' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('下次跟进');
    const second = await post('/admin/leads', 'me', { name: '', phone: '12345', source: 'walk_in', model: '', grade: 'O' });
    for (const field of ['name', 'phone', 'source', 'grade']) expect(second.body).toContain(`data-error="${field}"`);
    expect(await t.ctx.db.lead.count()).toBe(0);
  });

  it('is followed up and converted through the console', async () => {
    await post('/admin/leads', 'me', { name: '郑爽', phone: '13900000007', source: 'phone', model: '', grade: 'N', serviceConsent: '1' });
    expect((await runStaffCommand(t.ctx.db, t.clock, actor('me'), '今日')).reply).toContain('郑爽');
    expect((await runStaffCommand(t.ctx.db, t.clock, actor('me'), '跟进 13900000007 电话 H 约明天来店试驾')).reply).toContain('H级');
    t.clock.advance(DAY);
    expect((await runStaffCommand(t.ctx.db, t.clock, actor('me'), '订单 13900000007 城市SUV 2026-12-20 14:00')).reply).toContain('登记订单：城市SUV');
    const lead = await t.ctx.db.lead.findFirstOrThrow({ where: { customer: { phone: '+8613900000007' } } });
    expect(lead.grade).toBe('O');
    expect(await t.ctx.db.order.count({ where: { customerId: lead.customerId } })).toBe(1);
  });
});
