// `npm start` with WeCom configured, as an operator runs it, against the fake WeCom server: the
// start-up line, the callback URL check, a customer's welcome; a wrong secret stops start-up.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { signCallback } from '../../fakes/wecom-callback-signer.ts';
import { cleanUpBots, freePort, isolatedEnv, killAllBots, makeBotDir, SPAWNED_TEST_TIMEOUT_MS, spawnBot, until } from '../../helpers/spawn-bot.ts';
import { WECOM_TEST, wecomEnv } from '../../helpers/test-wecom.ts';

let fake: FakeWecomServer | null = null;

afterEach(async () => {
  await killAllBots();
  await fake?.close();
  fake = null;
});
afterAll(cleanUpBots);

describe('the bot process with WeCom', { timeout: SPAWNED_TEST_TIMEOUT_MS }, () => {
  it('prints the WeCom line, answers the URL check and welcomes a customer who adds a consultant', async () => {
    const dir = await makeBotDir();
    const port = await freePort();
    const callback = { url: `http://127.0.0.1:${port}/wecom/callback`, token: WECOM_TEST.token, encodingAesKey: WECOM_TEST.encodingAesKey };
    fake = new FakeWecomServer({ corpId: WECOM_TEST.corpId, secrets: [WECOM_TEST.secret], callback });
    const apiBase = await fake.start();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), ...wecomEnv(apiBase) } });
    await bot.waitForStdout(/WeCom: +corp ww1234567890abcdef, app 1000002, callback /);
    await bot.waitUntilReady();
    const signed = signCallback({ token: callback.token, encodingAesKey: callback.encodingAesKey, receiveId: WECOM_TEST.corpId }, 'echo-from-wecom', Math.floor(Date.now() / 1000));
    const check = new URL(callback.url);
    for (const [key, value] of Object.entries({ ...signed.query, echostr: signed.ciphertext })) check.searchParams.set(key, value);
    const verified = await fetch(check);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toBe('echo-from-wecom');
    const added = fake.contacts.customerAdds({ userId: 'zhangwei', externalUserId: 'wmProcess0001', state: 'showroom' });
    expect(await fake.pushCallback(added.xml)).toEqual({ status: 200, text: 'success' });
    await until(() => (fake?.contacts.welcomes.length ?? 0) > 0, 'the welcome', () => bot.output());
    expect(fake.contacts.welcomes[0]?.text).toContain('/r/showroom?w=');
    expect(fake.violations).toEqual([]);
    bot.child.kill('SIGTERM');
    expect((await bot.waitForExit()).code).toBe(0);
  });

  it('refuses to start with a secret WeCom does not accept, saying what to fix', async () => {
    fake = new FakeWecomServer({ corpId: WECOM_TEST.corpId, secrets: [WECOM_TEST.secret] });
    const apiBase = await fake.start();
    const dir = await makeBotDir();
    const port = await freePort();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), ...wecomEnv(apiBase), WECOM_SECRET: 'someone-elses-secret' } });
    const exit = await bot.waitForExit();
    expect(exit.code).toBe(1);
    expect(bot.stderr()).toContain('WECOM_SECRET');
    expect(bot.stderr()).toContain('Secret');
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses half a configuration, naming what is missing', async () => {
    const dir = await makeBotDir();
    const port = await freePort();
    const bot = await spawnBot({ dir, port, env: { ...isolatedEnv(dir, port), WECOM_CORP_ID: WECOM_TEST.corpId, WECOM_SECRET: WECOM_TEST.secret } });
    expect((await bot.waitForExit()).code).toBe(1);
    expect(bot.stderr()).toMatch(/WECOM_AGENT_ID[\s\S]*WECOM_CALLBACK_TOKEN[\s\S]*WECOM_ENCODING_AES_KEY/);
  });
});
