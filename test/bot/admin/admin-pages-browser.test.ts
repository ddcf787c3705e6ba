// The admin pages built from components (issue #14) in a real browser, with the site's CSP on:
// a refresh after a form submits nothing again (post/redirect/get); a refused form names the
// field and keeps what was typed; every converted page fits a 390 px phone without sideways
// scrolling. Screenshots at phone and desk widths go to test-results/admin-pages/ for review.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { openComplaintTicket } from '../../../core/surveys/tickets.ts';
import { launchBrowser, listen, newPhoneContext, openPage } from '../../helpers/browser.ts';
import { createReachableCustomer, queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const SCREENSHOTS = path.join('test-results', 'admin-pages');
const DESK_VIEWPORT = { width: 1366, height: 900 };

let t: TestApp;
let base = '';
let browser: Browser;
let customerId = '';
let voucherCode = '';
let ticketId = '';

beforeAll(async () => {
  t = await createTestApp({ STORE_ADDRESS: '上海市浦东新区示例路 88 号' });
  const now = t.clock.now();
  customerId = await createReachableCustomer(t.ctx.db, 1, now);
  await t.ctx.db.customer.update({ where: { id: customerId }, data: { name: '王芳' } });
  await t.ctx.db.visit.create({
    data: { customerId, storeId: t.setup.storeId, channel: 'WEB', visitedAt: now, heardFrom: 'walk_in' },
  });
  const registration = await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: {
      source: 'showroom',
      name: '张伟',
      phone: '13812345678',
      modelOfInterest: 'not_sure',
      heardFrom: 'walk_in',
      serviceConsent: true,
    },
  });
  voucherCode = registration.json().voucherCode;
  await queueText(t.ctx.db, t.setup.storeId, 'dead-1', now);
  await t.ctx.db.messageIntent.update({
    where: { dedupeKey: 'dead-1' },
    data: { state: 'DEAD', attempts: 6, lastError: 'gave up after 6 attempts: 502 Bad Gateway from the upstream' },
  });
  await t.ctx.db.staffTask.create({
    data: {
      storeId: t.setup.storeId,
      kind: 'forward:visit_thanks',
      text: '请转达给王芳：感谢光临，期待再次见到您。',
      createdAt: now,
    },
  });
  const complaint = {
    storeId: t.setup.storeId,
    customerId,
    description: '试驾车很脏，等了四十分钟没人接待。',
    source: '电话',
    category: null,
  };
  ticketId = (await t.ctx.db.$transaction((tx) => openComplaintTicket(tx, t.clock, complaint))).id;
  base = await listen(t);
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

/** A signed-in admin in a fresh phone-sized browser profile. */
async function signedInPhone(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newPhoneContext(browser, base);
  const { page, problems } = await openPage(context);
  await page.goto(`/admin/login/${await createLoginLink(t.ctx.db, t.clock, t.setup.adminStaffId, 1)}`);
  return { context, page, problems };
}

describe('the admin pages in a browser', () => {
  it('does not submit a form again when the page after it is refreshed', async () => {
    const { context, page, problems } = await signedInPhone();
    await page.goto('/admin');
    await page.click('button.count-party');
    expect(await page.textContent('.flash.ok')).toContain('已记录 1 组进店客户');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.reload();
    expect(await t.ctx.db.walkInParty.count()).toBe(1);
    expect(await page.textContent('[data-walk-in-parties]')).toBe('1');
    expect(await page.locator('.flash').count()).toBe(0); // the flash was shown once

    await page.goto(`/admin/orders?q=${encodeURIComponent('王芳')}`);
    await page.fill('.new-order input[name=model]', '城市SUV');
    await page.fill('.new-order input[name=deliveryAt]', '2026-11-27T14:00');
    await page.click('.new-order button[type=submit]');
    expect(await page.textContent('.flash.ok')).toContain('已登记订单');
    await page.reload();
    await page.goBack();
    await page.goForward();
    expect(await t.ctx.db.order.count({ where: { customerId } })).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names the refused field and keeps what was typed', async () => {
    const { context, page, problems } = await signedInPhone();
    const consultant = await t.ctx.db.staff.create({
      data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' },
    });
    await page.goto(`/admin/orders?q=${encodeURIComponent('王芳')}`);
    await page.fill('.new-order input[name=model]', '   '); // the browser sends it; the server finds no model in it
    await page.fill('.new-order input[name=deliveryAt]', '2026-12-03T15:30');
    await page.selectOption('.new-order select[name=consultantId]', consultant.id);
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.click('.new-order button[type=submit]');
    expect((await response).status()).toBe(400);
    expect(await page.textContent('.new-order [data-error=model]')).toContain('车型');
    expect(await page.textContent('.new-order .form-error')).toContain('车型');
    expect(await page.getAttribute('.new-order input[name=model]', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('.new-order input[name=deliveryAt]')).toBe('2026-12-03T15:30');
    expect(await page.inputValue('.new-order select[name=consultantId]')).toBe(consultant.id);
    expect(problems).toEqual(['HTTP 400 for POST /admin/orders']);
    await context.close();
  });

  /** The converted pages, each with data on it. */
  const PAGES: Record<string, () => string> = {
    desk: () => '/admin',
    vouchers: () => `/admin/vouchers?q=${voucherCode}`,
    outbox: () => '/admin/outbox',
    orders: () => `/admin/orders?customer=${customerId}`,
    templates: () => '/admin/templates',
    tickets: () => '/admin/tickets',
    ticket: () => `/admin/tickets/${ticketId}`,
    'qr-codes': () => '/admin/qr-codes',
    console: () => '/admin/console',
    staff: () => '/admin/staff',
  };

  for (const [name, url] of Object.entries(PAGES)) {
    it(`${name}: fits a 390 px phone without sideways scrolling; screenshots at phone and desk widths`, async () => {
      const { context, page, problems } = await signedInPhone();
      await page.goto(url());
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
      }));
      expect(widths.view).toBe(390);
      expect(widths.scroll, `${name} is ${widths.scroll} px wide on a 390 px screen`).toBeLessThanOrEqual(widths.view);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESK_VIEWPORT);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desk.png`), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
