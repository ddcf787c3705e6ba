// `npm start` with Telegram configured, as an operator runs it: against the fake Bot API, a
// customer's /start gets the registration's first question; a wrong token stops start-up; two
// instances on one database (a stand-by machine, issue #15) poll and send from one at a time,
// and when that one is SIGKILLed the other takes both roles over and answers the next customer.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { cleanUpBots, freePort, isolatedEnv, killAllBots, makeBotDir, SPAWNED_TEST_TIMEOUT_MS, spawnBot, until } from '../../helpers/spawn-bot.ts';

const TOKEN = '123456789:AAHfakeTokenForTestsOnly_abcdefghijk';
let fake: FakeTelegramServer | null = null;

afterEach(async () => {
  await killAllBots();
  await fake?.close();
  fake = null;
});
afterAll(cleanUpBots);

describe('the bot process with Telegram', { timeout: SPAWNED_TEST_TIMEOUT_MS }, () => {
  it('polls, answers /start showroom through the outbox, and stops cleanly', async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const dir = makeBotDir();
    const port = await freePort();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot } });
    await bot.waitForStdout(/Telegram: +https:\/\/t\.me\/showroom_test_bot \(long polling\)/);
    fake.queueText(6660001, '/start showroom');
    await until(() => fake?.sentTo(6660001).some((m) => m.text.includes('个人信息告知')) ?? false, 'the first question', () => bot.output());
    expect(fake.violations).toEqual([]);
    bot.child.kill('SIGTERM');
    expect((await bot.waitForExit()).code).toBe(0);
  });

  it('refuses to start with a token Telegram does not know, saying what to fix', async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const dir = makeBotDir();
    const port = await freePort();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), TELEGRAM_BOT_TOKEN: '987654321:AAHsomeoneElsesTokenNotValid_abcdefg', TELEGRAM_API_ROOT: apiRoot } });
    const exit = await bot.waitForExit();
    expect(exit.code).toBe(1);
    expect(bot.stderr()).toContain('TELEGRAM_BOT_TOKEN');
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
  });
});

/** Who holds each role now (the Lease table, read the way an operator would). */
function holders(file: string): Record<string, string> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT "name", "owner", "expiresAt" FROM "Lease"').all() as { name: string; owner: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.owner.split('#')[0] ?? '']));
  } finally {
    db.close();
  }
}

describe('two instances on one database', { timeout: SPAWNED_TEST_TIMEOUT_MS }, () => {
  it('poll and send from one at a time, and the other takes over when it dies', async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const dir = makeBotDir();
    const file = path.join(dir, 'showroom.db');
    const start = async (name: string) => {
      const port = await freePort();
      const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), INSTANCE_NAME: name, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot } });
      await bot.waitForStdout(/Showroom Concierge is running/);
      return bot;
    };
    const first = await start('first');
    const second = await start('second');
    expect(holders(file)).toEqual({ 'outbox-dispatcher': 'first', 'intake-telegram': 'first' });

    fake.queueText(6660001, '/start showroom');
    await until(() => fake?.sentTo(6660001).some((m) => m.text.includes('个人信息告知')) ?? false, 'an answer from the first', () => first.output());

    first.child.kill('SIGKILL');
    await until(() => { const h = holders(file); return h['outbox-dispatcher'] === 'second' && h['intake-telegram'] === 'second'; }, 'the second taking over', () => second.output());
    fake.queueText(6660002, '/start showroom');
    await until(() => fake?.sentTo(6660002).some((m) => m.text.includes('个人信息告知')) ?? false, 'an answer from the second', () => second.output());
    expect(fake.pollConflicts).toBe(0);
    expect(fake.violations).toEqual([]);

    second.child.kill('SIGTERM');
    expect((await second.waitForExit()).code).toBe(0);
    expect(holders(file)).toEqual({}); // given up on a clean stop: a restarted instance takes over at once
  });
});
