import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openComplaintTicket, openRecallTicket } from '../../../core/surveys/tickets.ts';
import type { Ticket } from '../../../core/db/generated/client.ts';
import { followRedirect, signIn as signInAs } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const HOUR = 3600_000;
let t: TestApp;
let session: string;
let storeId: string;
let customerId: string;
let consultantId: string;
let managerId: string;
let recall: Ticket;
let complaint: Ticket;

const db = () => t.ctx.db;
const signIn = (staffId: string) => signInAs(t, staffId);
const staff = async (name: string, role: 'MANAGER' | 'FRONT_DESK' | 'CONSULTANT') => (await db().staff.create({ data: { storeId, name, role } })).id;

beforeEach(async () => {
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440' }); // now: 2026-11-22 10:00 in Shanghai; signed in while the clock moves by hours
  storeId = t.setup.storeId;
  session = await signIn(t.setup.adminStaffId);
  managerId = await staff('展厅经理王芳', 'MANAGER');
  consultantId = await staff('顾问李明', 'CONSULTANT');
  customerId = (await db().customer.create({ data: { name: '张伟<b>VIP</b>', phone: '+8613812345678' } })).id;
  await db().visit.create({ data: { customerId, storeId, consultantId, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
  const now = t.clock.now();
  const survey = await db().survey.create({
    data: { storeId, customerId, consultantId, kind: 'VISIT', subjectId: 'visit-1', state: 'COMPLETED', score: 5, factor: 'price_transparency', comment: '报价前后不一致', sendAt: now, expiresAt: new Date(now.getTime() + 48 * HOUR) },
  });
  recall = await db().$transaction((tx) => openRecallTicket(tx, t.clock, { storeId, customerId, consultantId, surveyId: survey.id, score: 5, factor: 'price_transparency', comment: '报价前后不一致' }));
  complaint = await db().$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId, customerId, consultantId, description: '试驾车很脏<script>alert(1)</script>', source: 'phone' }));
});
afterEach(async () => {
  await t.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const get = (url: string, cookie = session) => t.app.inject({ method: 'GET', url, cookies: cookie ? { sc_staff: cookie } : {} });
const post = async (url: string, fields: Record<string, string> = {}, cookie = session) =>
  followRedirect(t.app, await t.app.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: cookie ? { sc_staff: cookie } : {} }), cookie);
const reload = (ticket: Ticket) => db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
const trail = (ticket: Ticket) => db().auditEntry.findMany({ where: { entity: 'ticket', entityId: ticket.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
const fullClose = { rootCause: '报价单未同步<i>系统</i>', actionTaken: '经理致电道歉并重新报价', outcome: '客户接受新报价', finalSatisfaction: '9', reSurvey: '1' };

describe('tickets admin page', () => {
  it('lists the recall and the complaint with references, masked phone, score, factor and due time; overdue is highlighted', async () => {
    const page = await get('/admin/tickets');
    expect(page.statusCode).toBe(200);
    for (const part of [recall.reference, complaint.reference, '回访召回', '客户投诉', '138****5678', '顾问李明', '5 分 · 价格透明', '待接单', '无人接单', `href="/admin/tickets/${recall.id}"`]) {
      expect(page.body).toContain(part);
    }
    expect(page.body).not.toContain('13812345678');
    expect(page.body).not.toContain('data-overdue');
    expect(page.body).toMatch(/<a href="\/admin\/tickets"[^>]*>回访与投诉<\/a>/);

    t.clock.set(new Date(t.clock.now().getTime() + HOUR));
    const later = await get('/admin/tickets');
    expect(later.body).toContain(`data-overdue="${complaint.id}"`);
    expect(later.body).not.toContain(`data-overdue="${recall.id}"`);
  });

  it('shows one ticket with its survey, description, audit trail and the take and close forms', async () => {
    const page = await get(`/admin/tickets/${recall.id}`);
    expect(page.statusCode).toBe(200);
    for (const part of [recall.reference, '回访评分', '5 分', '价格透明', '报价前后不一致', '操作记录', '开单', `action="/admin/tickets/${recall.id}/take"`, `action="/admin/tickets/${recall.id}/close"`, 'name="rootCause"', 'name="reSurvey"']) {
      expect(page.body).toContain(part);
    }
  });

  it('takes then closes a ticket with every field: CLOSED, audited, re-survey scheduled', async () => {
    const taken = await post(`/admin/tickets/${recall.id}/take`);
    expect(taken.statusCode).toBe(200);
    expect(taken.body).toContain('已接单');
    expect(await reload(recall)).toMatchObject({ status: 'IN_PROGRESS', ownerStaffId: t.setup.adminStaffId });
    expect(taken.body).not.toContain(`action="/admin/tickets/${recall.id}/take"`);

    const closed = await post(`/admin/tickets/${recall.id}/close`, fullClose);
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toContain(`工单 ${recall.reference} 已结案`);
    expect(closed.body).toContain('报价单未同步&lt;i>系统&lt;/i>');
    expect(closed.body).not.toContain(`action="/admin/tickets/${recall.id}/close"`);
    expect(await reload(recall)).toMatchObject({
      status: 'CLOSED', rootCause: '报价单未同步<i>系统</i>', actionTaken: '经理致电道歉并重新报价', outcome: '客户接受新报价', finalSatisfaction: 9, closedByStaffId: t.setup.adminStaffId,
    });
    expect((await trail(recall)).map((a) => a.action)).toEqual(['ticket.opened', 'ticket.taken', 'ticket.closed']);
    expect(await db().survey.count({ where: { subjectId: `resurvey:${recall.id}` } })).toBe(1);
    const list = await get('/admin/tickets');
    expect(list.body).toContain('近 30 天已结案（1）');
    expect(list.body).toContain('待处理（1）');
  });

  it('refuses to close without a root cause, names it, keeps what was typed and changes nothing', async () => {
    const response = await post(`/admin/tickets/${complaint.id}/close`, { ...fullClose, rootCause: '  ', finalSatisfaction: '7' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('请填写根本原因');
    expect(response.body).toContain('data-error="rootCause"');
    expect(response.body).toContain('经理致电道歉并重新报价');
    expect(response.body).toContain('value="7"');
    expect(response.body).toMatch(/name="reSurvey" value="1" checked/);
    expect(await reload(complaint)).toMatchObject({ status: 'OPEN', rootCause: null, ownerStaffId: null, closedAt: null });
    expect((await trail(complaint)).map((a) => a.action)).toEqual(['ticket.opened']);

    const several = await post(`/admin/tickets/${complaint.id}/close`, { rootCause: '', actionTaken: '', outcome: '已解决' });
    expect(several.statusCode).toBe(400);
    expect(several.body).toContain('请填写根本原因');
    expect(several.body).toContain('请填写处理措施');

    const badScore = await post(`/admin/tickets/${complaint.id}/close`, { ...fullClose, finalSatisfaction: '11' });
    expect(badScore.statusCode).toBe(400);
    expect(badScore.body).toContain('最终满意度必须是 1–10 的整数');
    expect((await reload(complaint)).status).toBe('OPEN');
  });

  it('refuses to take a ticket someone else took, and to act on a closed ticket', async () => {
    expect((await post(`/admin/tickets/${complaint.id}/take`, {}, await signIn(managerId))).statusCode).toBe(200);
    const desk = await signIn(await staff('客服小刘', 'FRONT_DESK'));
    const second = await post(`/admin/tickets/${complaint.id}/take`, {}, desk);
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain('已被他人接单');
    expect((await reload(complaint)).ownerStaffId).toBe(managerId);

    expect((await post(`/admin/tickets/${complaint.id}/close`, fullClose, desk)).statusCode).toBe(200);
    const again = await post(`/admin/tickets/${complaint.id}/close`, fullClose, desk);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('该工单已经结案');
  });

  it('answers 404 for an unknown ticket or another store\'s', async () => {
    const store = await db().store.findUniqueOrThrow({ where: { id: storeId } });
    const other = await db().store.create({ data: { groupId: store.groupId, name: '纽约店', timeZone: 'America/New_York' } });
    const theirs = await db().$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId: other.id, description: '别店的投诉', source: 'phone' }));
    expect((await get(`/admin/tickets/${theirs.id}`)).statusCode).toBe(404);
    expect((await get('/admin/tickets/nope')).statusCode).toBe(404);
    expect((await post(`/admin/tickets/${theirs.id}/take`)).statusCode).toBe(404);
    expect((await post(`/admin/tickets/${theirs.id}/close`, fullClose)).statusCode).toBe(404);
    expect((await reload(theirs)).status).toBe('OPEN');
    expect((await get('/admin/tickets')).body).not.toContain(theirs.reference);
  });

  it('is not for consultants, and asks to sign in without a session', async () => {
    const consultant = await signIn(consultantId);
    expect((await get('/admin/tickets', consultant)).statusCode).toBe(403);
    expect((await get(`/admin/tickets/${recall.id}`, consultant)).statusCode).toBe(403);
    expect((await post(`/admin/tickets/${recall.id}/take`, {}, consultant)).statusCode).toBe(403);
    expect((await get('/admin/tickets', '')).statusCode).toBe(401);
    expect((await post(`/admin/tickets/${recall.id}/close`, fullClose, '')).statusCode).toBe(401);
    expect((await reload(recall)).status).toBe('OPEN');
  });

  it('shows what customers typed as text, never as markup', async () => {
    for (const url of ['/admin/tickets', `/admin/tickets/${complaint.id}`]) {
      const page = await get(url);
      expect(page.body).toContain('张伟&lt;b>VIP&lt;/b>');
      expect(page.body).not.toContain('<b>VIP</b>');
    }
    const detail = await get(`/admin/tickets/${complaint.id}`);
    expect(detail.body).toContain('试驾车很脏&lt;script>alert(1)&lt;/script>');
    expect(detail.body).not.toContain('<script>alert');
  });
});

describe('complaints recorded by hand, and their category', () => {
  it('opens a complaint for a phone call, linked to the store customer with that number, alerting customer relations, audited with who recorded it', async () => {
    const response = await post('/admin/tickets', { phone: '138 1234 5678', source: 'phone', category: 'purchase_terms', description: '贷款利率和说好的不一样' });
    expect(response.statusCode).toBe(200);
    const ticket = await db().ticket.findFirstOrThrow({ where: { description: '贷款利率和说好的不一样' } });
    expect(ticket).toMatchObject({ type: 'COMPLAINT', customerId, category: 'purchase_terms', status: 'OPEN' });
    expect(ticket.dueAt.getTime() - ticket.createdAt.getTime()).toBe(30 * 60_000);
    expect(response.body).toContain(ticket.reference);
    expect(response.body).toContain('购车条件（价格/金融/手续）');
    const opened = (await trail(ticket)).find((a) => a.action === 'ticket.opened');
    expect(opened?.actorStaffId).toBe(t.setup.adminStaffId);
    expect(await db().messageIntent.count({ where: { dedupeKey: { startsWith: `ticket-opened:${ticket.id}:` } } })).toBeGreaterThan(0);
  });

  it('opens one for a walk-in without a number; refuses an unknown number, a missing text or category, keeping what was typed', async () => {
    expect((await post('/admin/tickets', { phone: '', source: 'walk_in', category: 'product', description: '新车异响' })).statusCode).toBe(200);
    expect(await db().ticket.count({ where: { description: '新车异响', customerId: null, category: 'product' } })).toBe(1);
    const before = await db().ticket.count();
    const unknown = await post('/admin/tickets', { phone: '13912345670', source: 'phone', category: 'service', description: '态度差' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('本店没有这个手机号的客户');
    expect(unknown.body).toContain('态度差');
    expect((await post('/admin/tickets', { source: 'phone', category: 'service', description: '' })).body).toContain('请填写投诉内容');
    expect((await post('/admin/tickets', { source: 'phone', category: 'colour', description: '颜色' })).body).toContain('请选择投诉类别');
    expect((await post('/admin/tickets', { source: 'email', category: 'service', description: '邮件' })).statusCode).toBe(400);
    expect(await db().ticket.count()).toBe(before);
  });

  it('sets and changes a complaint\'s category, audited; refuses one that is not a category', async () => {
    expect((await post(`/admin/tickets/${complaint.id}/category`, { category: 'expectations' })).statusCode).toBe(200);
    expect((await reload(complaint)).category).toBe('expectations');
    expect((await post(`/admin/tickets/${complaint.id}/category`, { category: 'nonsense' })).statusCode).toBe(400);
    expect((await reload(complaint)).category).toBe('expectations');
    expect((await trail(complaint)).map((a) => a.action)).toContain('ticket.categorized');
    expect((await get(`/admin/tickets/${complaint.id}`)).body).toContain('期望未达成');
  });
});
