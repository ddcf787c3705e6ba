// The report page in a real browser (Debian's chromium through playwright-core): Chart.js from our
// own server draws every chart under the page's CSP, the period switches, a figure drills down to
// its rows, and a consultant cannot open the store's view.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { launchBrowser, listen, openPage } from '../../helpers/browser.ts';
import { seedReportFixture, type ReportFixture } from '../../helpers/report-fixture.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let browser: Browser;
let launchError: unknown;
let t: TestApp;
let f: ReportFixture;
let baseURL: string;
let context: BrowserContext;
let problems: string[][];

beforeAll(async () => {
  try {
    browser = await launchBrowser();
  } catch (error) {
    launchError = error;
  }
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  problems = [];
  if (launchError) throw launchError;
  t = await createTestApp({ ADMIN_SESSION_IDLE_MINUTES: '1440' });
  f = await seedReportFixture(t.ctx.db, t.setup.storeId);
  baseURL = await listen(t);
  context = await browser.newContext({ baseURL, viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
});
afterEach(async () => {
  await context?.close();
  await t?.close();
});

/** Signs `staffId` in through a one-time link in this browser and opens `url`. */
async function openAs(staffId: string, url: string): Promise<Page> {
  const opened = await openPage(context);
  problems.push(opened.problems);
  await opened.page.goto(`/admin/login/${await createLoginLink(t.ctx.db, t.clock, staffId, 24)}`);
  await opened.page.goto(url);
  return opened.page;
}

/** Every canvas has a Chart.js chart that drew something (a canvas with pixels that are not blank). */
async function chartsDrawn(page: Page): Promise<number> {
  await page.waitForSelector('body[data-charts-ready]');
  return page.evaluate(() => Array.from(document.querySelectorAll("canvas")).filter((canvas) => {
    const c = canvas as HTMLCanvasElement & { chart?: unknown };
    const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    return c.chart !== undefined && c.width > 0 && Array.prototype.some.call(pixels, (v: number) => v !== 0);
  }).length);
}

describe('the report page in chromium', () => {
  it('draws its six charts with no console error, switches to a day, and drills down to the surveys behind a figure', async () => {
    const page = await openAs(f.manager, '/admin/reports?period=week&date=2026-11-22');
    expect(await page.locator('.report-scope').textContent()).toContain('2026年11月16日–22日（第47周）');
    expect(await chartsDrawn(page)).toBe(6);

    await page.selectOption('select[name=period]', 'day');
    await page.fill('input[name=date]', '2026-11-20');
    await Promise.all([page.waitForURL(/period=day/), page.click('.report-controls button[type=submit]')]);
    expect(await page.locator('.report-scope').textContent()).toContain('2026年11月20日');
    expect(await chartsDrawn(page)).toBe(6);
    expect(await page.locator('[data-table="概览"] tr', { hasText: '登记人数' }).locator('td').nth(1).textContent()).toBe('2');

    await page.goto('/admin/reports?period=week&date=2026-11-22');
    await Promise.all([page.waitForURL(/\/admin\/reports\/list/), page.locator('[data-table="概览"] a[data-drill="surveys"]').first().click()]);
    expect(await page.locator('h2').first().textContent()).toContain('回访明细（本期发送）（6 条）');
    expect(await page.locator('table.report-list tbody tr').count()).toBe(6);
    expect(problems.flat()).toEqual([]);
  });

  it('shows a consultant their own figures, and refuses them the store\'s view', async () => {
    const page = await openAs(f.a, '/admin/reports?period=week&date=2026-11-22');
    expect(await page.locator('.report-scope').getAttribute('data-view')).toBe(`consultant:${f.a}`);
    expect(await page.locator('select[name=view] option').allTextContents()).toEqual(['我的数据']);
    expect(await chartsDrawn(page)).toBe(6);
    const refused = await page.goto(`/admin/reports?period=week&date=2026-11-22&view=store:${f.storeId}`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('.flash.err').textContent()).toContain('没有查看这份报表的权限');
    expect(problems.flat().filter((p) => !/HTTP 403 for GET \/admin\/reports/.test(p))).toEqual([]);
  });
});
