/**
 * Runs the real program (`bot/main.ts`) as a child process: start-up on an empty directory,
 * bad settings, a crash mid-conversation, graceful stop and restart on the same database.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db/open-database.ts';
import type { OutboundMessage } from '../../core/messages.ts';
import { botDatabaseCreated, botDatabaseUrl, cleanUpBots, freePort, isolatedEnv, killAllBots, makeBotDir, SPAWNED_TEST_TIMEOUT_MS, spawnBot, startBot, type BotProcess } from '../helpers/spawn-bot.ts';

afterEach(killAllBots);
afterAll(cleanUpBots);

const ADMIN_LINK = /\/admin\/login\/([A-Za-z0-9_-]{16,})/;

/** A browser's web chat against a running bot; the cookie can outlive the bot. */
class WebChat {
  cookie = '';

  async start(bot: BotProcess): Promise<OutboundMessage[]> {
    const response = await fetch(`${bot.baseUrl}/api/chat/start`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'showroom' }),
    });
    expect(response.status, bot.output()).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('sc_chat='));
    expect(setCookie, 'POST /api/chat/start sets the sc_chat cookie').toBeDefined();
    this.cookie = (setCookie ?? '').split(';')[0] ?? '';
    return (await response.json() as { replies: OutboundMessage[] }).replies;
  }

  async say(bot: BotProcess, text: string): Promise<OutboundMessage[]> {
    const response = await fetch(`${bot.baseUrl}/api/chat/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: this.cookie }, body: JSON.stringify({ text }),
    });
    const body = await response.text();
    expect(response.status, `${text} → ${body}\n${bot.output()}`).toBe(200);
    return (JSON.parse(body) as { replies: OutboundMessage[] }).replies;
  }
}

const lastText = (replies: OutboundMessage[]) => replies.at(-1)?.text ?? '';

/** SIGTERM, then the exit (rejects if the bot does not stop by itself). */
async function terminate(bot: BotProcess) {
  bot.child.kill('SIGTERM');
  return bot.waitForExit();
}

describe('the bot process', { timeout: SPAWNED_TEST_TIMEOUT_MS }, () => {
  it('starts on an empty directory: poster with QR code, one-time admin link, database file', async () => {
    const bot = await startBot();

    const poster = await fetch(`${bot.baseUrl}/`);
    expect(poster.status).toBe(200);
    const html = await poster.text();
    expect(html).toContain('<svg');
    expect(html).toContain('/r/showroom');

    const [, token] = await bot.waitForStdout(ADMIN_LINK);
    // HOST=127.0.0.1 here, so the printed links use that address rather than localhost.
    expect(bot.stdout()).toContain(`http://127.0.0.1:${bot.port}/admin/login/${token}`);
    const first = await fetch(`${bot.baseUrl}/admin/login/${token}`, { redirect: 'manual' });
    expect(first.status, bot.output()).toBeGreaterThanOrEqual(300);
    expect(first.status).toBeLessThan(400);
    expect(first.headers.get('location')).toBe('/admin');
    expect(first.headers.getSetCookie().some((c) => c.startsWith('sc_staff='))).toBe(true);
    await first.arrayBuffer();

    const second = await fetch(`${bot.baseUrl}/admin/login/${token}`, { redirect: 'manual' });
    expect(second.status).toBe(401);
    expect(second.headers.getSetCookie()).toEqual([]);
    await second.arrayBuffer();

    expect(await botDatabaseCreated(bot.dir)).toBe(true);
    expect(bot.stderr()).toBe('');
  });

  it('refuses a bad setting: exits non-zero, naming PORT and what it expects, without a stack trace', async () => {
    const dir = await makeBotDir();
    const bot = await spawnBot({ dir, env: { ...isolatedEnv(dir, await freePort()), PORT: 'abc' } });
    const exit = await bot.waitForExit();
    expect(exit.code, bot.output()).not.toBe(0);
    expect(exit.code, bot.output()).not.toBeNull();
    const stderr = bot.stderr();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('whole number between 1 and 65535');
    expect(stderr).toContain('"abc"');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/Error:|ZodError|node:internal/);
    expect(await botDatabaseCreated(dir), 'nothing is created on a bad setting').toBe(false);
  });

  it('resumes a conversation after a crash (SIGKILL) at the next question, and registers once', async () => {
    const dir = await makeBotDir();
    const first = await startBot({ dir });
    const chat = new WebChat();
    const opening = await chat.start(first);
    expect(lastText(opening)).toContain('个人信息告知');
    expect(lastText(await chat.say(first, '1'))).toContain('称呼');
    expect(lastText(await chat.say(first, '张伟'))).toContain('手机');
    expect(lastText(await chat.say(first, '13812345678'))).toContain('车型');

    first.child.kill('SIGKILL');
    expect((await first.waitForExit()).signal).toBe('SIGKILL');

    const second = await startBot({ dir });
    const next = await chat.say(second, '1');
    expect(lastText(next), second.output()).toContain('渠道');
    expect(next.map((m) => m.text).join('\n')).not.toContain('个人信息告知');
    expect(lastText(await chat.say(second, '1'))).toContain('陪您');
    expect(lastText(await chat.say(second, '0'))).toContain('营销');
    const done = await chat.say(second, '2');
    expect(done[0], second.output()).toMatchObject({ kind: 'voucher' });

    expect((await terminate(second)).code, second.output()).toBe(0);
    const db = await openDatabase(botDatabaseUrl(dir));
    try {
      const [customers, visits, vouchers, intents] = await Promise.all([db.customer.count(), db.visit.count(), db.voucher.count(), db.messageIntent.count({ where: { kind: 'visit_thanks' } })]);
      expect({ customers, visits, vouchers, intents }).toEqual({ customers: 1, visits: 1, vouchers: 1, intents: 1 });
      const voucher = await db.voucher.findFirstOrThrow();
      expect(done[0]?.kind === 'voucher' && done[0].voucherCode).toBe(voucher.code);
    } finally {
      await db.$disconnect();
    }
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const bot = await startBot();
    await bot.waitForStdout(ADMIN_LINK);
    const exit = await terminate(bot);
    expect(exit, bot.output()).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toBe('');
  });

  it('keeps its state across a restart: one store, and a new admin link each start', async () => {
    const dir = await makeBotDir();
    const first = await startBot({ dir });
    const [, firstToken] = await first.waitForStdout(ADMIN_LINK);
    expect((await terminate(first)).code, first.output()).toBe(0);

    const second = await startBot({ dir });
    const [, secondToken] = await second.waitForStdout(ADMIN_LINK);
    expect(secondToken).not.toBe(firstToken);
    expect((await terminate(second)).code, second.output()).toBe(0);

    const db = await openDatabase(botDatabaseUrl(dir));
    try {
      expect(await db.store.count()).toBe(1);
      expect(await db.qrSource.count()).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });
});
