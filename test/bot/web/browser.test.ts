// Real-browser tests of the web pages: the H5 form (/r/:code) and the web chat (/chat/:code),
// driven in Debian's chromium through playwright-core, checked on the page and in the database.
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webTexts } from '../../../bot/channels/web/web-texts.ts';
import { HEARD_FROM } from '../../../core/registration/registration-options.ts';
import { registrationTexts } from '../../../core/registration/registration-texts.ts';
import { PHONE_VIEWPORT, launchBrowser, listen, newPhoneContext, openPage } from '../../helpers/browser.ts';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';
import { WebChatSender } from '../../../bot/channels/web/web-chat-sender.ts';
import { WebChatPresence } from '../../../bot/channels/web/web-chat-presence.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';

const form = webTexts('zh-CN');
const bot = registrationTexts('zh-CN');
const VOUCHER_SHOWN = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;
const XSS_NAME = '<img src=x onerror="window.__xss=1">张三';

let browser: Browser;
let t: TestApp;
let context: BrowserContext;
/** What went wrong on each page of the current test (see openPage); must stay empty. */
let problems: string[][];
/** Problems the current test expects (e.g. the 400 of a refused form). */
let expectedProblems: RegExp[];

/** Why the browser did not start (e.g. chromium not installed): every test then fails with it. */
let launchError: unknown;

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
  expectedProblems = [];
  if (launchError) throw launchError;
  t = await createTestApp({ WEB_CHAT_POLL_MS: '100' });
  context = await newPhoneContext(browser, await listen(t));
});
afterEach(async () => {
  await context?.close();
  await t?.close();
  expect(problems.flat().filter((p) => !expectedProblems.some((re) => re.test(p)))).toEqual([]);
});

async function open(url: string): Promise<Page> {
  const opened = await openPage(context);
  problems.push(opened.problems);
  await opened.page.goto(url);
  return opened.page;
}

/** What the customer puts in the H5 form; a missing field is left as the page has it. */
interface FormInput {
  name?: string;
  phone?: string;
  model?: string;
  heardFrom?: string;
  companions?: string[];
  serviceConsent?: boolean;
  marketingConsent?: boolean;
}

/** Fills the H5 form the way a person does (by the visible labels) and submits it. */
async function fillAndSubmit(page: Page, input: FormInput): Promise<void> {
  if (input.serviceConsent) await page.getByLabel(form.serviceConsentLabel).check();
  if (input.name !== undefined) await page.getByLabel(form.nameLabel).fill(input.name);
  if (input.phone !== undefined) await page.getByLabel(form.phoneLabel).fill(input.phone);
  if (input.model !== undefined) await page.getByLabel(form.modelLabel).selectOption(input.model);
  if (input.heardFrom !== undefined) await page.getByLabel(input.heardFrom, { exact: true }).check();
  for (const companion of input.companions ?? []) await page.getByLabel(companion, { exact: true }).check();
  if (input.marketingConsent) await page.getByLabel(form.marketingLabel).check();
  await page.getByRole('button', { name: form.submit }).click();
}

/** The voucher code the form shows after a registration (waits for it). */
async function shownVoucher(page: Page): Promise<string> {
  return (await page.locator('#voucher-code').textContent()) ?? '';
}

/** The fields whose error element is visible. */
async function visibleErrors(page: Page): Promise<string[]> {
  const fields = await page.locator('[data-error-for]:visible').evaluateAll((els) => els.map((el) => el.getAttribute('data-error-for') ?? ''));
  return fields.sort();
}

/** The web chat as a customer uses it: each action waits for the bot's answer. */
class Chat {
  readonly bots;
  constructor(readonly page: Page) {
    this.bots = page.locator('#messages li.bot');
  }

  static async open(url = '/chat/showroom'): Promise<{ chat: Chat; greeting: string }> {
    const chat = new Chat(await open(url));
    await chat.bots.first().waitFor();
    return { chat, greeting: (await chat.bots.last().textContent()) ?? '' };
  }

  /** Runs the action, waits for a new bot bubble and returns the text of the last one. */
  async act(action: () => Promise<void>): Promise<string> {
    const before = await this.bots.count();
    await action();
    await this.bots.nth(before).waitFor();
    return (await this.bots.last().textContent()) ?? '';
  }

  /** Types a reply and sends it with Enter. */
  say(text: string): Promise<string> {
    return this.act(async () => {
      await this.page.locator('#text').fill(text);
      await this.page.locator('#text').press('Enter');
    });
  }

  /** Taps the choice button with exactly this label. */
  choose(label: string): Promise<string> {
    return this.act(() => this.page.locator('.choices').getByRole('button', { name: label, exact: true }).click());
  }
}

describe('H5 registration form in a browser', () => {
  it('registers with a spaced phone number and shows the voucher; writes one of everything', async () => {
    const page = await open('/r/showroom');
    await fillAndSubmit(page, {
      name: '张伟', phone: '138 1234 5678', model: '城市SUV', heardFrom: '网络/汽车网站', companions: ['父母'],
      serviceConsent: true, marketingConsent: false,
    });

    const shown = await shownVoucher(page);
    expect(shown).toMatch(VOUCHER_SHOWN);
    expect(await page.locator('#registration').isHidden()).toBe(true);
    expect(await page.locator('#result').textContent()).not.toContain(form.alreadyRegistered);

    const db = t.ctx.db;
    expect(await registrationCounts(db)).toEqual({ customers: 1, identities: 1, visits: 1, registrations: 1, vouchers: 1, consents: 2, intents: 1, surveys: 1 });
    const customer = await db.customer.findFirstOrThrow();
    expect(customer).toMatchObject({ name: '张伟', phone: '+8613812345678' });
    const visit = await db.visit.findFirstOrThrow();
    expect(visit).toMatchObject({ customerId: customer.id, channel: 'WEB', modelOfInterest: '城市SUV', heardFrom: 'online', companions: 'parents' });
    const voucher = await db.voucher.findFirstOrThrow();
    expect(voucher).toMatchObject({ code: shown.replace('-', ''), customerId: customer.id });
    expect((await db.consentRecord.findMany()).map((c) => [c.purpose, c.granted, c.source]).sort()).toEqual([
      ['MARKETING', false, 'web-form:showroom'],
      ['SERVICE', true, 'web-form:showroom'],
    ]);
    const intent = await db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect(intent).toMatchObject({ dedupeKey: `thanks:${visit.id}`, customerId: customer.id, kind: 'visit_thanks' });
  });

  it('shows the hints of a bad phone and a missing consent next to those fields and saves nothing', async () => {
    expectedProblems.push(/^HTTP 400 for POST \/api\/registrations$/);
    const page = await open('/r/showroom');
    const before = await registrationCounts(t.ctx.db);
    await fillAndSubmit(page, { name: '张伟', phone: '12345', heardFrom: '路过进店', serviceConsent: false });

    const phoneError = page.locator('[data-error-for=phone]');
    const consentError = page.locator('[data-error-for=serviceConsent]');
    await phoneError.waitFor({ state: 'visible' });
    expect(await phoneError.textContent()).toBe(form.hints.phone);
    await consentError.waitFor({ state: 'visible' });
    expect(await consentError.textContent()).toBe(form.hints.serviceConsent);
    expect(await visibleErrors(page)).toEqual(['modelOfInterest', 'phone', 'serviceConsent']);
    expect(await page.locator('#result').isHidden()).toBe(true);
    expect(await page.locator('#voucher-code').count()).toBe(0);
    const button = page.getByRole('button', { name: form.submit });
    expect(await button.isEnabled()).toBe(true);
    expect(await registrationCounts(t.ctx.db)).toEqual(before);

    // Fixing the three fields clears the hints and registers.
    await fillAndSubmit(page, { phone: '13812345678', model: '中型轿车', serviceConsent: true });
    expect(await shownVoucher(page)).toMatch(VOUCHER_SHOWN);
    expect(await visibleErrors(page)).toEqual([]);
    expect((await registrationCounts(t.ctx.db)).customers).toBe(1);
  });

  it('gives the same voucher to the same number written another way, changing nothing', async () => {
    const page = await open('/r/showroom');
    await fillAndSubmit(page, { name: '张伟', phone: '13812345678', model: '城市SUV', heardFrom: '路过进店', serviceConsent: true });
    const first = await shownVoucher(page);
    const counts = await registrationCounts(t.ctx.db);

    await page.reload();
    await fillAndSubmit(page, { name: '张先生', phone: '+86 138-1234-5678', model: '七座SUV', heardFrom: '亲友推荐', serviceConsent: true, marketingConsent: true });
    expect(await shownVoucher(page)).toBe(first);
    expect(await page.locator('#result').textContent()).toContain(form.alreadyRegistered);
    expect(await registrationCounts(t.ctx.db)).toEqual(counts);
    expect((await t.ctx.db.customer.findFirstOrThrow()).name).toBe('张伟');
  });
});

describe('web chat in a browser', () => {
  it('registers by tapping choices and typing, re-asks a bad phone, and repeats the voucher after a restart', async () => {
    const { chat, greeting } = await Chat.open();
    expect(greeting).toContain('个人信息告知');
    expect(await chat.choose('1. 同意并继续')).toBe(bot.askName);
    expect(await chat.say('张伟')).toBe(bot.askPhone('张伟'));
    expect(await chat.page.locator('#text').inputValue()).toBe('');
    expect(await chat.page.locator('#messages li.me').last().textContent()).toBe('张伟');

    expect(await chat.say('12345')).toBe(bot.badPhone);
    expect(await chat.say('138 1234 5678')).toContain(bot.askModel);
    expect(await chat.choose('3. 城市SUV')).toContain(bot.askHeardFrom);
    expect(await chat.choose('2. 网络/汽车网站')).toContain(bot.askCompanions);
    expect(await chat.say('1 2')).toContain(bot.askMarketing);
    await chat.choose('2. 不需要');

    const voucher = chat.page.locator('#messages li.bot.voucher');
    expect(await voucher.count()).toBe(1);
    const code = (await voucher.getAttribute('data-voucher-code')) ?? '';
    expect(await voucher.textContent()).toContain(`${code.slice(0, 4)}-${code.slice(4)}`);
    const db = t.ctx.db;
    expect((await db.voucher.findUniqueOrThrow({ where: { code } })).customerId).toBe((await db.customer.findFirstOrThrow()).id);
    expect(await registrationCounts(db)).toEqual({ customers: 1, identities: 1, visits: 1, registrations: 1, vouchers: 1, consents: 2, intents: 1, surveys: 1 });
    expect(await db.customer.findFirstOrThrow()).toMatchObject({ name: '张伟', phone: '+8613812345678' });
    expect(await db.visit.findFirstOrThrow()).toMatchObject({ modelOfInterest: '城市SUV', heardFrom: 'online', companions: 'spouse,parents', channel: 'WEB' });
    expect((await db.consentRecord.findMany()).map((c) => [c.purpose, c.granted, c.source]).sort()).toEqual([
      ['MARKETING', false, 'web-chat:showroom'],
      ['SERVICE', true, 'web-chat:showroom'],
    ]);
    const counts = await registrationCounts(db);

    // Same chat, same person, number written differently: same voucher, nothing new.
    expect(await chat.say('重新开始')).toContain('个人信息告知');
    await chat.choose('1. 同意并继续');
    await chat.say('张先生');
    expect(await chat.say('+86 138-1234-5678')).toContain(bot.askModel);
    await chat.choose('1. 紧凑型轿车');
    await chat.choose('1. 路过进店');
    await chat.choose('0. 独自前来');
    await chat.choose('1. 愿意接收');
    expect(await voucher.count()).toBe(2);
    expect(await voucher.last().getAttribute('data-voucher-code')).toBe(code);
    expect(await voucher.last().textContent()).toContain('已经登记过');
    expect(await registrationCounts(db)).toEqual(counts);
  });

  it('shows the thank-you the outbox delivers later, without a reload', async () => {
    const { chat } = await Chat.open();
    await chat.choose('1. 同意并继续');
    await chat.say('张伟');
    await chat.say('13812345678');
    await chat.choose('1. 紧凑型轿车');
    await chat.choose('1. 路过进店');
    await chat.choose('0. 独自前来');
    await chat.choose('2. 不需要');
    expect(await chat.page.locator('#messages li.pushed').count()).toBe(0);

    t.clock.advance(2 * 3600_000);
    const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock))] });
    expect(await dispatcher.runOnce()).toBe(1);
    const pushed = chat.page.locator('#messages li.pushed');
    await pushed.waitFor();
    expect(await pushed.textContent()).toContain('感谢您今天光临');
    expect(await pushed.count()).toBe(1);
  });

  it('answers a double-tapped choice once, not also the next question', async () => {
    const { chat } = await Chat.open();
    await chat.choose('1. 同意并继续');
    await chat.say('张伟');
    await chat.say('13812345678');
    // Two taps before the reply comes back, as on a slow network (Playwright's dblclick lets
    // the local reply win the race, so the second tap would find no button).
    const tapped = chat.act(() => chat.page.locator('.choices').getByRole('button', { name: '3. 城市SUV', exact: true })
      .evaluate((button: HTMLButtonElement) => { button.click(); button.click(); }));
    expect(await tapped).toContain(bot.askHeardFrom);
    expect(await chat.page.locator('#messages li.me').allTextContents()).toEqual(['1. 同意并继续', '张伟', '13812345678', '3. 城市SUV']);
    // Still at the heard-from question: a wrong answer gets its hint (a second "3" would have
    // answered it with 电话邀约 and moved on to the companions).
    expect(await chat.say('x')).toContain(bot.badHeardFrom(HEARD_FROM.length));
    expect(JSON.parse((await t.ctx.db.conversation.findFirstOrThrow()).state)).toMatchObject({ step: 'heardFrom', answers: { modelOfInterest: '城市SUV' } });
  });
});

describe('customer text is shown as text, never as markup', () => {
  it('keeps a name with an <img onerror> inert in the chat and the form', async () => {
    expectedProblems.push(/^HTTP 400 for POST \/api\/registrations$/);
    const { chat } = await Chat.open();
    await chat.choose('1. 同意并继续');
    expect(await chat.say(XSS_NAME)).toBe(bot.badName);
    expect(await chat.page.locator('#messages li.me').last().textContent()).toBe(XSS_NAME);
    expect(await chat.page.locator('#messages img').count()).toBe(0);
    // A name the bot accepts and repeats, with the characters HTML cares about.
    expect(await chat.say(`王"小'&明`)).toBe(bot.askPhone(`王"小'&明`));
    expect(await chat.page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

    const page = await open('/r/showroom');
    await fillAndSubmit(page, { name: XSS_NAME, phone: '13812345678', model: '城市SUV', heardFrom: '其他', serviceConsent: true });
    const nameError = page.locator('[data-error-for=name]');
    await nameError.waitFor({ state: 'visible' });
    expect(await nameError.textContent()).toBe(form.hints.name);
    expect(await visibleErrors(page)).toEqual(['name']);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await registrationCounts(t.ctx.db)).toMatchObject({ customers: 0, visits: 0, vouchers: 0 });
  });
});

describe('pages on a phone screen', () => {
  /** Page wider than the screen means sideways scrolling on a phone. */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  /** Whether the element's centre is inside the viewport and the element is what a tap there hits. */
  const onScreenAndUncovered = (locator: Locator) => locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;
    const hit = document.elementFromPoint(x, y);
    return hit !== null && el.contains(hit);
  });
  /** How many lines the element's text takes. */
  const textLines = (locator: Locator) => locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  });

  it('fits the H5 form and the chat into a 390 px wide phone, chat composer in view', async () => {
    const formPage = await open('/r/showroom');
    expect(await overflow(formPage)).toBeLessThanOrEqual(0);
    const submit = await formPage.getByRole('button', { name: form.submit }).boundingBox();
    expect(submit && submit.x >= 0 && submit.x + submit.width <= PHONE_VIEWPORT.width).toBe(true);
    await formPage.screenshot({ path: path.join(os.tmpdir(), 'showroom-h5.png'), fullPage: true });

    const { chat } = await Chat.open();
    await chat.choose('1. 同意并继续');
    await chat.say('张伟');
    await chat.say('13812345678');
    expect(await overflow(chat.page)).toBeLessThanOrEqual(0);
    const composer = await chat.page.locator('#composer').boundingBox();
    expect(composer && composer.y >= 0 && composer.y + composer.height <= PHONE_VIEWPORT.height + 0.5).toBe(true);
    // The newest question's last button is on screen, not under the sticky composer.
    expect(await onScreenAndUncovered(chat.page.locator('.choices button').last())).toBe(true);
    // The send button keeps its label on one line.
    expect(await textLines(chat.page.locator('#composer button'))).toBe(1);
    await chat.page.screenshot({ path: path.join(os.tmpdir(), 'showroom-chat.png') });
  });
});
