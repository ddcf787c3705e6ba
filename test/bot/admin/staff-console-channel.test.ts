// The web staff console as a staff chat channel: staff messages reach a consultant who has
// only the console, over HTTP polling and in a real browser.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { consoleAddress } from '../../../core/staff/console-channel.ts';
import { WebChatSender } from '../../../bot/channels/web/web-chat-sender.ts';
import { WebChatPresence } from '../../../bot/channels/web/web-chat-presence.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { launchBrowser, listen, openPage } from '../../helpers/browser.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let consultantId: string;
let session: string;

beforeEach(async () => {
  t = await createTestApp({ WEB_CHAT_POLL_MS: '100' });
  consultantId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id;
  session = await signIn(t, consultantId);
});
afterEach(async () => {
  await t.close();
});

const deliver = () => new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock))] }).runOnce();
const nudge = (key: string, text: string) =>
  queueText(t.ctx.db, t.setup.storeId, key, t.clock.now(), { purpose: 'STAFF', staffId: consultantId, message: { kind: 'text', text } });
const poll = async (after?: number) => {
  const response = await t.app.inject({ method: 'GET', url: `/admin/console/messages${after === undefined ? '' : `?after=${after}`}`, cookies: { sc_staff: session } });
  return { status: response.statusCode, body: response.json<{ messages: { id: number; message: { text: string } }[] }>() };
};

describe('the staff console as a staff channel', () => {
  it('holds staff messages until the console is opened once, then delivers them there', async () => {
    await nudge('digest-1', '今日待跟进 3 位客户');
    await deliver();
    expect((await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: 'digest-1' } })).state).toBe('PENDING');

    expect((await t.app.inject({ method: 'GET', url: '/admin/console', cookies: { sc_staff: session } })).statusCode).toBe(200);
    await deliver(); // linking released it: no waiting for the next hourly look
    const first = await poll();
    expect(first.body.messages.map((m) => m.message.text)).toEqual(['今日待跟进 3 位客户']);
    await nudge('nudge-2', '王芳 的跟进已逾期');
    await deliver();
    const next = await poll(first.body.messages[0]?.id);
    expect(next.body.messages.map((m) => m.message.text)).toEqual(['王芳 的跟进已逾期']);
  });

  it('shows each staff member only their own messages, and only when signed in', async () => {
    const other = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张顾问', role: 'CONSULTANT' } })).id;
    await t.ctx.db.webChatMessage.create({ data: { chatId: consoleAddress(other), intentId: 'x', payload: JSON.stringify({ kind: 'text', text: '别人的' }), createdAt: t.clock.now() } });
    expect((await poll()).body.messages).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/admin/console/messages' })).statusCode).toBe(401);
    expect((await poll(-1 as number)).status).toBe(400);
  });
});

describe('the staff console in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a nudge pushed while it is open, as text (no markup)', async () => {
    const base = await listen(t);
    const context = await browser.newContext({ baseURL: base });
    await context.addCookies([{ name: 'sc_staff', value: session, url: `${base}/admin` }]);
    const { page, problems } = await openPage(context);
    await page.goto('/admin/console');
    await nudge('live', '<b>王芳</b> 的跟进已逾期');
    await deliver();
    await page.locator('li.pushed', { hasText: '<b>王芳</b> 的跟进已逾期' }).waitFor();
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');
    await page.locator('li.bot', { hasText: '可用命令（' }).waitFor();
    expect(await page.locator('li.pushed b').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
