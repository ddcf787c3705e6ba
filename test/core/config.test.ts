import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';

describe('loadConfig', () => {
  it('starts on the embedded default with no settings at all', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('file:./data/showroom.db');
    expect(config.STORE_TIME_ZONE).toBe('Asia/Shanghai');
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
    expect(config.STORE_CAR_MODELS.length).toBeGreaterThan(0);
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', STORE_NAME: '  ' }).PORT).toBe(3000);
  });

  it('reads and normalizes values', () => {
    const config = loadConfig({ PORT: '8080', STORE_CAR_MODELS: ' Model A , Model B ', PUBLIC_BASE_URL: 'https://cars.example.com/', GIFT_STOCK: '0' });
    expect(config.PORT).toBe(8080);
    expect(config.STORE_CAR_MODELS).toEqual(['Model A', 'Model B']);
    expect(config.PUBLIC_BASE_URL).toBe('https://cars.example.com');
    expect(config.GIFT_STOCK).toBe(0);
    expect(loadConfig({ STORE_CUSTOMER_HOURS: '22:00-06:00' }).STORE_CUSTOMER_HOURS).toEqual({ start: '22:00', end: '06:00' });
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number between 1 and 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT must be a whole number/],
    ['STORE_TIME_ZONE', 'Mars/Olympus', /STORE_TIME_ZONE must be an IANA time zone, e\.g\. Asia\/Shanghai/],
    ['PUBLIC_BASE_URL', 'not a url', /PUBLIC_BASE_URL must be an http\(s\) URL/],
    ['DATABASE_URL', 'mysql://shop:secret@db/showroom', /DATABASE_URL must be a SQLite file URL \(file:.*\) or a PostgreSQL URL .*\(got "mysql:\/\/shop:\*\*\*@db\/showroom"\)/],
    ['DEFAULT_LOCALE', 'fr', /DEFAULT_LOCALE/],
    ['GIFT_STOCK', '-1', /GIFT_STOCK must be a whole number of gifts/],
    ['STORE_CAR_MODELS', 'A,A', /STORE_CAR_MODELS must not list a model twice/],
    ['STORE_CUSTOMER_HOURS', '8-21', /STORE_CUSTOMER_HOURS must be a local time range HH:MM-HH:MM/],
    ['STORE_STAFF_HOURS', '08:30-25:00', /STORE_STAFF_HOURS must be a local time range/],
    ['OUTBOX_POLL_MS', '0', /OUTBOX_POLL_MS must be a whole number of milliseconds/],
  ])('names %s and what it expects when it is %s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', STORE_TIME_ZONE: 'nowhere' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('leaves each channel\'s settings to the channel (test/bot/telegram/telegram-settings.test.ts)', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'my-token' })).not.toThrow();
  });

  it('ignores unrelated environment variables', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});
