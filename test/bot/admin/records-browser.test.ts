// The records pages in a real browser (issue #18): a manager filters the leads, opens one and
// reassigns it, adds a lead who phoned in, edits a customer's profile and the store's hours —
// with the site's CSP on, no script or console errors, and every answer below 400.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../../../core/staff/staff-sessions.ts';
import { launchBrowser, listen, openPage } from '../../helpers/browser.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
const staff: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  for (const [key, name, role] of [['me', '李顾问', 'CONSULTANT'], ['colleague', '赵顾问', 'CONSULTANT'], ['manager', '孙经理', 'MANAGER']] as const) {
    staff[key] = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role } })).id;
  }
  const base = await listen(t);
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t.close();
});

describe('the records pages in a browser', () => {
  it('works through leads, a phone-in lead, a profile and the store settings', async () => {
    const { page, problems } = await openPage(context);
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '王芳', phone: '13900000001', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    await t.ctx.db.lead.updateMany({ data: { ownerStaffId: staff.me } });
    await page.goto(`/admin/login/${await createLoginLink(t.ctx.db, t.clock, staff.manager ?? '', 1)}`);

    await page.goto('/admin/leads');
    await page.selectOption('select[name=consultant]', staff.me ?? '');
    await page.click('.lead-filter button');
    await page.click('table.leads a');
    expect(await page.textContent('[data-phone]')).toBe('+8613900000001');
    await page.selectOption('.reassign-lead select', staff.colleague ?? '');
    await page.click('.reassign-lead button');
    expect(await page.textContent('.flash.ok')).toContain('已转交给 赵顾问');
    expect(await page.locator('.history li').count()).toBeGreaterThan(2);

    await page.goto('/admin/leads/new');
    await page.fill('.new-lead input[name=name]', '黄磊');
    await page.fill('.new-lead input[name=phone]', '139 0000 0002');
    await page.selectOption('.new-lead select[name=grade]', 'A');
    await page.click('.new-lead button');
    expect(await page.textContent('.flash.ok')).toContain('已登记线索');

    await page.click('a[href^="/admin/customers/"]');
    await page.selectOption('.profile select[name=salutation]', '先生');
    await page.fill('.profile textarea[name=notes]', '周末方便');
    await page.click('.profile button');
    expect(await page.textContent('.flash.ok')).toContain('资料已保存');
    expect(await page.textContent('table.customer')).toContain('黄先生');

    await page.goto('/admin/store');
    await page.fill('.store-basics input[name=customerHoursStart]', '09:00');
    await page.click('.store-basics button');
    expect(await page.textContent('.flash.ok')).toContain('门店信息已保存');
    expect((await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } })).customerHoursStart).toBe('09:00');
    expect(problems).toEqual([]);
  });
});
