import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/admin-session.ts';
import { seedReportFixture, type ReportFixture } from '../../helpers/report-fixture.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let f: ReportFixture;
const sessions: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440' });
  f = await seedReportFixture(t.ctx.db, t.setup.storeId);
  sessions.admin = await signIn(t, t.setup.adminStaffId);
  sessions.manager = await signIn(t, f.manager);
  sessions.a = await signIn(t, f.a);
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, who = 'manager') => t.app.inject({ method: 'GET', url, cookies: { sc_staff: sessions[who] ?? '' } });
const exportAs = (fields: Record<string, string>, who = 'manager') =>
  t.app.inject({ method: 'POST', url: '/admin/reports/export', payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: sessions[who] ?? '' } });
const WEEK = { period: 'week', date: '2026-11-22' };

async function readXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook;
}
const values = (sheet: ExcelJS.Worksheet) => sheet.getSheetValues().slice(1).map((row) => (Array.isArray(row) ? row.slice(1) : []));

describe('/admin/reports', () => {
  it('shows a manager their store\'s week: the figures, the chart canvases and their data, drill-down links', async () => {
    const page = await get(`/admin/reports?${new URLSearchParams(WEEK)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026年11月16日–22日（第47周）');
    expect(page.body).toContain(`data-view="store:${f.storeId}"`);
    expect(page.body.match(/<canvas id="/g)).toHaveLength(6);
    expect(page.body).toContain('<script src="/assets/vendor/chart.umd.min.js" defer></script>');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}');
    expect(data.trend.registrations.at(-1)).toBe(4);
    expect(data.distribution).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 2]);
    expect(page.body).toMatch(/<a href="\/admin\/reports\/list\?[^"]*list=surveys[^"]*filter=low[^"]*" data-drill="surveys">2<\/a>/);
  });

  it('defaults to the week of yesterday in the store zone (on Monday morning: last week)', async () => {
    t.clock.set('2026-11-23T00:30:00Z'); // Monday 08:30 in Shanghai
    try {
      sessions.monday = await signIn(t, f.manager);
      expect((await get('/admin/reports', 'monday')).body).toContain('data-period="week:2026-11-16"');
    } finally {
      t.clock.set('2026-11-22T02:00:00Z');
    }
  });

  it('drills down to the rows behind a figure: phones in full for whoever cares for the customer, masked for anyone else', async () => {
    const list = await get(`/admin/reports/list?${new URLSearchParams({ ...WEEK, list: 'surveys', filter: 'low' })}`);
    expect(list.statusCode).toBe(200);
    expect(list.body.match(/<tr><td>/g)).toHaveLength(2);
    expect(list.body).toContain('试乘试驾');
    expect(list.body).toContain('+86139000000');
    const own = await get(`/admin/reports/list?${new URLSearchParams({ ...WEEK, list: 'registrations' })}`, 'a');
    expect(own.body.match(/<tr><td>/g)).toHaveLength(2); // a consultant's own registrations only
    const group = await get(`/admin/reports/list?${new URLSearchParams({ period: 'day', date: '2026-11-20', view: 'group', list: 'registrations' })}`, 'admin');
    expect(group.body.match(/<tr><td>/g)).toHaveLength(3);
    expect(group.body).toContain('139****0008'); // the New York store's customer: not the Shanghai admin's to call
    expect(group.body).toContain('2026-11-20 23:30'); // each row in its own store's zone
  });

  it('gives a consultant their own figures and refuses the store\'s, a colleague\'s and the group, changing nothing', async () => {
    const mine = await get(`/admin/reports?${new URLSearchParams(WEEK)}`, 'a');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(`data-view="consultant:${f.a}"`);
    for (const view of [`store:${f.storeId}`, `consultant:${f.b}`, 'group', `store:${f.otherStoreId}`]) {
      expect((await get(`/admin/reports?${new URLSearchParams({ ...WEEK, view })}`, 'a')).statusCode).toBe(403);
      expect((await get(`/admin/reports/list?${new URLSearchParams({ ...WEEK, view, list: 'registrations' })}`, 'a')).statusCode).toBe(403);
    }
  });

  it('lets the admin see the whole group, and refuses a manager the group and another store', async () => {
    expect((await get(`/admin/reports?${new URLSearchParams({ ...WEEK, view: 'group' })}`, 'admin')).body).toContain('全部 2 家门店');
    expect((await get(`/admin/reports?${new URLSearchParams({ ...WEEK, view: 'group' })}`)).statusCode).toBe(403);
    expect((await get(`/admin/reports?${new URLSearchParams({ ...WEEK, view: `store:${f.otherStoreId}` })}`)).statusCode).toBe(403);
  });

  it('refuses a period it cannot read with what to fix', async () => {
    const bad = await get('/admin/reports?period=custom&from=2026-11-22&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('结束日期不能早于开始日期');
    expect((await get('/admin/reports?period=year')).statusCode).toBe(400);
    expect((await get('/admin/reports', '')).statusCode).toBe(401);
  });
});

describe('exports', () => {
  it('exports the report as XLSX: one sheet per table, Chinese header row, the week\'s figures; audited', async () => {
    const response = await exportAs({ ...WEEK, what: 'report', format: 'xlsx' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('报表_汇总_2026-11-16_2026-11-22.xlsx'));
    const workbook = await readXlsx(response.rawPayload);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概览', '接待登记', '满意度回访', '销售顾问', '销售漏斗', '订单交车', '投诉', '消息', '趋势']);
    const overview = values(workbook.getWorksheet('概览')!);
    expect(overview[0]).toEqual(['指标', '数值']);
    expect(overview).toContainEqual(['登记人数', 4]);
    expect(overview).toContainEqual(['留存率（目标 95.0%）', '100.0%']);
    const consultants = values(workbook.getWorksheet('销售顾问')!);
    expect(consultants[0]?.slice(0, 3)).toEqual(['排名', '顾问', '跟进次数']);
    expect(consultants.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([[1, '李强', 1], [2, '王丽', 3]]);
    expect(values(workbook.getWorksheet('趋势')!)).toHaveLength(9);
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'report.exported', actorStaffId: f.manager }, orderBy: { at: 'desc' } });
    expect(JSON.parse(audit.details)).toMatchObject({ what: 'report', format: 'xlsx', view: `store:${f.storeId}` });
  });

  it('exports a list as XLSX with dates in the store zone and the phone masked for a consultant\'s colleague', async () => {
    const response = await exportAs({ ...WEEK, what: 'registrations', format: 'xlsx' });
    const rows = values((await readXlsx(response.rawPayload)).worksheets[0]!);
    expect(rows[0]).toEqual(['登记时间', '客户', '手机', '二维码来源', '渠道', '了解渠道', '接待顾问']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['2026-11-16 10:00', '2026-11-20 09:00', '2026-11-20 23:30', '2026-11-21 00:30']);
    expect(String(rows[3]?.[2])).toMatch(/^\+86139/); // the manager cares for the store's customers
    const consultant = values((await readXlsx((await exportAs({ ...WEEK, what: 'surveys', format: 'xlsx' }, 'a')).rawPayload)).worksheets[0]!);
    expect(consultant.slice(1).every((r) => /^\+86/.test(String(r[3])))).toBe(true); // their own customers: in full
  });

  it('exports CSV as UTF-8 with a BOM, and refuses a consultant the store\'s export', async () => {
    const csv = await exportAs({ ...WEEK, what: 'complaints', format: 'csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.rawPayload.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe('编号,创建时间,客户,手机,顾问,类别,状态,期限,接单,结案');
    expect(lines).toHaveLength(3);
    const before = await t.ctx.db.auditEntry.count({ where: { action: 'report.exported' } });
    expect((await exportAs({ ...WEEK, what: 'report', format: 'csv', view: `store:${f.storeId}` }, 'a')).statusCode).toBe(403);
    expect((await exportAs({ ...WEEK, what: 'nonsense', format: 'csv' })).statusCode).toBe(400);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'report.exported' } })).toBe(before);
  });
});
