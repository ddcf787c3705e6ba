// `npm start` with Telegram configured, as an operator runs it: against the fake Bot API, a
// customer's /start gets the registration's first question; a wrong token stops start-up; two
// instances on one database (a stand-by machine, issue #15) poll and send from one at a time,
// and when that one is SIGKILLed the other takes both roles over and answers the next customer.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db/open-database.ts';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { botDatabaseUrl, cleanUpBots, freePort, isolatedEnv, killAllBots, makeBotDir, SPAWNED_TEST_TIMEOUT_MS, spawnBot, STARTUP_TIMEOUT_MS, until } from '../../helpers/spawn-bot.ts';

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
    const dir = await makeBotDir();
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
    const dir = await makeBotDir();
    const port = await freePort();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), TELEGRAM_BOT_TOKEN: '987654321:AAHsomeoneElsesTokenNotValid_abcdefg', TELEGRAM_API_ROOT: apiRoot } });
    const exit = await bot.waitForExit();
    expect(exit.code).toBe(1);
    expect(bot.stderr()).toContain('TELEGRAM_BOT_TOKEN');
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
  });
});

/** Who holds each role now (the Lease table, read the way an operator would). */
async function holders(databaseUrl: string): Promise<Record<string, string>> {
  const db = await openDatabase(databaseUrl);
  try {
    const rows = await db.lease.findMany();
    return Object.fromEntries(rows.map((r) => [r.name, r.owner.split('#')[0] ?? '']));
  } finally {
    await db.$disconnect();
  }
}

describe('two instances on one database', { timeout: SPAWNED_TEST_TIMEOUT_MS }, () => {
  it('poll and send from one at a time, and the other takes over when it dies', async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const dir = await makeBotDir();
    const databaseUrl = botDatabaseUrl(dir);
    const start = async (name: string) => {
      const port = await freePort();
      const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), INSTANCE_NAME: name, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot } });
      await bot.waitForStdout(/Showroom Concierge is running/);
      return bot;
    };
    const first = await start('first');
    const second = await start('second');
    expect(await holders(databaseUrl)).toEqual({ 'outbox-dispatcher': 'first', 'intake-telegram': 'first' });

    fake.queueText(6660001, '/start showroom');
    await until(() => fake?.sentTo(6660001).some((m) => m.text.includes('个人信息告知')) ?? false, 'an answer from the first', () => first.output());

    first.child.kill('SIGKILL');
    // The leases run out within 15 s of the kill.
    for (const deadline = Date.now() + STARTUP_TIMEOUT_MS; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
      const h = await holders(databaseUrl);
      if (h['outbox-dispatcher'] === 'second' && h['intake-telegram'] === 'second') break;
      if (Date.now() > deadline) throw new Error(`the second did not take over: ${JSON.stringify(h)}\n${second.output()}`);
    }
    fake.queueText(6660002, '/start showroom');
    await until(() => fake?.sentTo(6660002).some((m) => m.text.includes('个人信息告知')) ?? false, 'an answer from the second', () => second.output());
    expect(fake.pollConflicts).toBe(0);
    expect(fake.violations).toEqual([]);

    second.child.kill('SIGTERM');
    expect((await second.waitForExit()).code).toBe(0);
    expect(await holders(databaseUrl)).toEqual({}); // given up on a clean stop: a restarted instance takes over at once
  });
});
