import { createTelegramChannel, type TelegramChannel } from '../../bot/channels/telegram/telegram-channel.ts';
import { telegramSettings } from '../../bot/channels/telegram/telegram-settings.ts';
import { ConfigError, parseSettings } from '../../core/config.ts';
import { channelDeps, connectChannel, type TestApp } from './test-app.ts';

/** The token the fake Bot API (test/fakes/fake-telegram-server.ts) is started with in tests. */
export const TEST_BOT_TOKEN = '123456789:AAHfakeTokenForTestsOnly_abcdefghijk';

/**
 * A Telegram channel for the test app from settings as an operator writes them (e.g.
 * TELEGRAM_API_ROOT pointing at the fake Bot API; the test token unless given).
 */
export async function telegramChannel(t: TestApp, env: Record<string, string>): Promise<TelegramChannel> {
  const settings = parseSettings(telegramSettings, { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, ...env });
  if (!settings.ok) throw new ConfigError(settings.problems);
  return createTelegramChannel(settings.value, channelDeps(t));
}

/** Opens the test app's Telegram channel (see telegramChannel) and counts it as running, as start-up does. */
export async function openTelegram(t: TestApp, env: Record<string, string>): Promise<TelegramChannel> {
  const channel = await telegramChannel(t, env);
  connectChannel(t, channel);
  return channel;
}
