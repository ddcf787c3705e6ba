// `npm start` with Telegram configured, as an operator runs it: against the fake Bot API, a
// customer's /start gets the registration's first question; a wrong token stops start-up.
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
