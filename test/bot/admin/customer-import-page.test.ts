// The import upload on /admin/customers/import (issue #18): a manager's file is imported with its
// progress shown, a file with bad rows is refused naming row and column in the browser, and other
// roles are refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { launchBrowser, listen, openPage } from '../../helpers/browser.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let browser: Browser;
let base = '';
let manager = '';
beforeAll(async () => {
  t = await createTestApp();
  manager = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '孙经理', role: 'MANAGER' } })).id;
  base = await listen(t);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

const EXAMPLE = path.join(import.meta.dirname, '../../../docs/examples/customers-import.csv');

describe('the import page', () => {
  it('is refused to consultants and the front desk', async () => {
    for (const role of ['CONSULTANT', 'FRONT_DESK'] as const) {
      const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: `员工${role}`, role } });
      const cookie = await signIn(t, staff.id);
      expect((await t.app.inject({ method: 'GET', url: '/admin/customers/import', cookies: { sc_staff: cookie } })).statusCode).toBe(403);
      const upload = await t.app.inject({ method: 'POST', url: '/admin/customers/import?file=a.csv', payload: readFileSync(EXAMPLE), headers: { 'content-type': 'application/octet-stream' }, cookies: { sc_staff: cookie } });
      expect(upload.statusCode).toBe(403);
    }
    expect(await t.ctx.db.lead.count()).toBe(0);
  });

  it('imports a file in the browser with the progress shown, and names the bad rows of another', async () => {
    const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await page.goto(`/admin/login/${await createLoginLink(t.ctx.db, t.clock, manager, 1)}`);
    await page.goto('/admin/customers/import');
    await page.setInputFiles('input[name=file]', EXAMPLE);
    await page.click('#import-form button');
    await page.waitForSelector('.flash.ok');
    expect(await page.textContent('#import-result')).toContain('新增 3 位');
    expect(await page.getAttribute('#import-progress', 'value')).toBe(await page.getAttribute('#import-progress', 'max'));
    expect(await t.ctx.db.lead.count()).toBe(3);
    await page.setInputFiles('input[name=file]', { name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,手机号,生日\n赵敏,13800138009,2099-01-01\n钱多,999,\n') });
    await page.click('#import-form button');
    await page.waitForSelector('.flash.err');
    const rows = await page.$$eval('.import-problems tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows).toEqual([['第 2 行', '生日', '2099-01-01 在将来'], ['第 3 行', '手机号', '“999”不是有效的手机号']]);
    expect(await page.textContent('#import-result')).toContain('没有导入');
    expect(await t.ctx.db.lead.count()).toBe(3);
    expect(problems).toEqual([]);
    await context.close();
  });
});
