import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './test-app.ts';

/** Debian's chromium; the browser tests drive it with playwright-core (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** A phone screen (iPhone 12–15 class), in CSS pixels. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/** Launches headless chromium; fails (never skips) with how to install it when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}, and it is missing. Install it with: apt-get install chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Makes the test app listen on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(testApp: TestApp): Promise<string> {
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = testApp.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A fresh browser profile (own cookies) the size of a phone. */
export function newPhoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

/**
 * A page that records what went wrong on it: uncaught script errors, console errors (CSP
 * violations land there) and HTTP error responses, named by method, status and path. The
 * browser's own favicon request is left out: the pages declare no icon.
 */
export async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && url.pathname !== '/favicon.ico') {
      problems.push(`HTTP ${response.status()} for ${response.request().method()} ${url.pathname}`);
    }
  });
  return { page, problems };
}
