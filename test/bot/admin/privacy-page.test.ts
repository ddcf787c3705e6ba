// /admin/privacy over HTTP: the desk records a customer's request after checking them in person
// and hands over the JSON or CSV file; only managers and admins erase; consultants see nothing.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/admin-session.ts';
import { seedPerson, type SeededPerson } from '../../helpers/personal-data.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let person: SeededPerson;
const sessions: Record<'desk' | 'manager' | 'consultant', string> = { desk: '', manager: '', consultant: '' };

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (url: string, fields: Record<string, string>, cookie: string) =>
  t.app.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie } });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, cookies: { sc_staff: cookie } });

beforeEach(async () => {
  t = await createTestApp();
  person = await seedPerson(t, { name: '犇淼', phone: '13812345678', tag: 'p' });
  for (const [key, role] of [['desk', 'FRONT_DESK'], ['manager', 'MANAGER'], ['consultant', 'CONSULTANT']] as const) {
    const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: `${key}员工`, role } });
    sessions[key] = await signIn(t, staff.id);
  }
});
afterEach(async () => {
  await t.close();
});

async function recordRequest(kind: 'access' | 'erasure'): Promise<string> {
  const response = await post('/admin/privacy/requests', { customerId: person.customerId, kind, identityChecked: 'yes' }, sessions.desk);
  expect(response.statusCode).toBe(200);
  return (await t.ctx.db.dataRequest.findFirstOrThrow({ where: { kind }, orderBy: { createdAt: 'desc' } })).id;
}

describe('/admin/privacy', () => {
  it('is refused to a consultant, on reading and on every action', async () => {
    expect((await get('/admin/privacy', sessions.consultant)).statusCode).toBe(403);
    expect((await post('/admin/privacy/requests', { customerId: person.customerId, kind: 'access', identityChecked: 'yes' }, sessions.consultant)).statusCode).toBe(403);
    expect(await t.ctx.db.dataRequest.count()).toBe(0);
  });

  it('lets the desk find the customer by full number and record a request only after checking them in person', async () => {
    const found = await get('/admin/privacy?phone=138 1234 5678', sessions.desk);
    expect(found.body).toContain('犇淼（138****5678）');
    expect(found.body).not.toContain('13812345678');
    expect((await get('/admin/privacy?phone=犇淼', sessions.desk)).body).toContain('没有找到本店使用这个手机号的客户');
    const unchecked = await post('/admin/privacy/requests', { customerId: person.customerId, kind: 'access' }, sessions.desk);
    expect(unchecked.statusCode).toBe(400);
    expect(unchecked.body).toContain('请先当面核实本人');
    expect((await post('/admin/privacy/requests', { customerId: person.customerId, kind: 'everything', identityChecked: 'yes' }, sessions.desk)).statusCode).toBe(400);
    expect(await t.ctx.db.dataRequest.count()).toBe(0);
    await recordRequest('access');
    expect((await get('/admin/privacy', sessions.desk)).body).toMatch(/查询\/复制<\/td><td>前台（当面核实）/);
  });

  it('hands over the file as JSON and CSV, audited on each download; the access request is done', async () => {
    const id = await recordRequest('access');
    const csv = await post(`/admin/privacy/requests/${id}/export.csv`, {}, sessions.desk);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="personal-data-DR-[A-Z0-9]{6}\.csv"$/);
    expect(csv.body).toContain("customer,1,phone,'+8613812345678");
    expect((await post(`/admin/privacy/requests/${id}/export.json`, {}, sessions.desk)).statusCode).toBe(409); // done with the first file
    expect((await t.ctx.db.dataRequest.findUniqueOrThrow({ where: { id } })).completedAt).not.toBeNull();
    expect(await t.ctx.db.auditEntry.findMany({ where: { action: 'privacy.exported' }, select: { actorStaffId: true, details: true } })).toHaveLength(1);
    const erasureId = await recordRequest('erasure');
    const json = await post(`/admin/privacy/requests/${erasureId}/export.json`, {}, sessions.manager);
    expect(JSON.parse(json.body)).toMatchObject({ format: 'showroom-concierge/personal-data@1', customer: { name: '犇淼' } });
    expect((await t.ctx.db.dataRequest.findUniqueOrThrow({ where: { id: erasureId } })).completedAt).toBeNull(); // a copy before erasure
  });

  it('lets only a manager or admin erase, after confirming, once', async () => {
    const id = await recordRequest('erasure');
    expect((await get('/admin/privacy', sessions.desk)).body).not.toContain(`/admin/privacy/requests/${id}/erase`);
    const byDesk = await post(`/admin/privacy/requests/${id}/erase`, { confirm: 'yes' }, sessions.desk);
    expect(byDesk.statusCode).toBe(403);
    expect(byDesk.body).toContain('删除只能由经理或管理员执行');
    expect((await post(`/admin/privacy/requests/${id}/erase`, {}, sessions.manager)).statusCode).toBe(400);
    expect(await t.ctx.db.customer.count({ where: { erasedAt: { not: null } } })).toBe(0);
    const done = await post(`/admin/privacy/requests/${id}/erase`, { confirm: 'yes' }, sessions.manager);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('已删除');
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: person.customerId } })).toMatchObject({ name: '', phone: `erased:${person.customerId}` });
    expect((await post(`/admin/privacy/requests/${id}/erase`, { confirm: 'yes' }, sessions.manager)).statusCode).toBe(409);
    expect((await get('/admin/privacy?phone=13812345678', sessions.desk)).body).toContain('没有找到本店使用这个手机号的客户');
  });

  it('shows the retention dry run', async () => {
    const page = await get('/admin/privacy', sessions.manager);
    expect(page.body).toContain('最后一次联系 12 个月后自动匿名化');
    expect(page.body).toMatch(/将匿名化 <strong data-dry-run="0">0<\/strong> 位客户/);
  });
});

/** Hostile form values: long strings, control and bidi characters, SQL and HTML fragments, look-alike ids. */
const hostile = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.constantFrom('', ' ', 'yes', 'access', 'erasure', "' OR 1=1 --", '<script>alert(1)</script>', '%', '_', '\u0000\u0007\u202E', '13812345678', '+8613812345678', 'x'.repeat(5000), '__proto__'),
);
const body = fc.record({ customerId: hostile, kind: hostile, identityChecked: hostile, confirm: hostile }, { requiredKeys: [] });

describe('/admin/privacy under hostile input (fast-check)', () => {
  it('never answers 5xx; a refused request records, exports and erases nothing', async () => {
    const counts = async () => [await t.ctx.db.dataRequest.count(), await t.ctx.db.auditEntry.count(), await t.ctx.db.customer.count({ where: { erasedAt: { not: null } } })];
    await fc.assert(fc.asyncProperty(body, hostile, fc.constantFrom('/admin/privacy/requests', '/admin/privacy/requests/:id/export.json', '/admin/privacy/requests/:id/export.csv', '/admin/privacy/requests/:id/erase'), async (fields, id, route) => {
      const before = await counts();
      const url = route.replace(':id', encodeURIComponent(id));
      const response = await t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields as Record<string, string>).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: sessions.manager } });
      expect(response.statusCode).toBeLessThan(500);
      const valid = route === '/admin/privacy/requests' && fields.customerId === person.customerId && fields.identityChecked === 'yes' && (fields.kind === 'access' || fields.kind === 'erasure');
      if (!valid) expect(await counts()).toEqual(before);
      const page = await t.app.inject({ method: 'GET', url: `/admin/privacy?phone=${encodeURIComponent(String(fields.customerId ?? ''))}`, cookies: { sc_staff: sessions.manager } });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>alert(1)</script>');
    }), { numRuns: 40 });
  });
});
