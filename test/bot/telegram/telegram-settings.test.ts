// The Telegram channel's settings, read with the core's at start-up (bot/settings.ts): each bad
// variable named with what it expects, all at once, whoever reads it.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config.ts';
import { loadSettings } from '../../../bot/settings.ts';

const telegram = (env: Record<string, string>) => loadSettings(env).channels.find((c) => c.module.channel === 'TELEGRAM')?.settings;

describe('Telegram settings', () => {
  it.each([
    ['TELEGRAM_BOT_TOKEN', 'my-token', /TELEGRAM_BOT_TOKEN must be the token @BotFather gave you/],
    ['TELEGRAM_WEBHOOK_URL', 'http://bot.example.com/telegram/webhook', /TELEGRAM_WEBHOOK_URL must be the public https:\/\/ URL/],
    ['TELEGRAM_WEBHOOK_URL', 'https://bot.example.com/', /TELEGRAM_WEBHOOK_URL must end in a path of its own/],
    ['TELEGRAM_WEBHOOK_URL', 'https://bot.example.com/admin/hook', /TELEGRAM_WEBHOOK_URL must end in a path of its own/],
    ['TELEGRAM_WEBHOOK_SECRET', 'short', /TELEGRAM_WEBHOOK_SECRET must be 16–256 characters/],
    ['TELEGRAM_API_ROOT', 'ftp://x', /TELEGRAM_API_ROOT must be an http\(s\) URL/],
  ])('names %s and what it expects when it is %s', (name, value, message) => {
    expect(() => loadSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => loadSettings({ [name]: value })).toThrow(message);
  });

  it('wants the bot token with a webhook URL, and takes a well-formed Telegram setup', () => {
    expect(() => loadSettings({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook' })).toThrow(/set the bot token too/);
    const settings = telegram({ TELEGRAM_BOT_TOKEN: '123456789:AAHfakeTokenForTestsOnly_abcdefghijk', TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' });
    expect(settings).toMatchObject({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' });
  });

  it('is off with no settings at all, and treats empty values as unset', () => {
    const defaults = { TELEGRAM_API_ROOT: 'https://api.telegram.org', TELEGRAM_MESSAGES_PER_SECOND: 30, TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1 };
    expect(telegram({})).toEqual(defaults);
    expect(telegram({ TELEGRAM_BOT_TOKEN: ' ', TELEGRAM_API_ROOT: '', TELEGRAM_MESSAGES_PER_SECOND: '' })).toEqual(defaults);
  });

  it('keeps to Telegram\'s flood limits unless told other rates, within what a Bot API server can mean', () => {
    expect(telegram({ TELEGRAM_MESSAGES_PER_SECOND: '300', TELEGRAM_CHAT_MESSAGES_PER_SECOND: '10' })).toMatchObject({ TELEGRAM_MESSAGES_PER_SECOND: 300, TELEGRAM_CHAT_MESSAGES_PER_SECOND: 10 });
    expect(() => loadSettings({ TELEGRAM_MESSAGES_PER_SECOND: '2' })).toThrow(/TELEGRAM_MESSAGES_PER_SECOND must be a whole number of messages a second, 3–1000/);
    expect(() => loadSettings({ TELEGRAM_CHAT_MESSAGES_PER_SECOND: '0.5' })).toThrow(/TELEGRAM_CHAT_MESSAGES_PER_SECOND must be a whole number/);
  });

  it('reports the core\'s and the channel\'s bad variables together', () => {
    try {
      loadSettings({ PORT: 'x', TELEGRAM_BOT_TOKEN: 'my-token' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'TELEGRAM_BOT_TOKEN']);
      expect((error as ConfigError).message).toMatch(/Fix these in the environment or in \.env/);
    }
  });
});
