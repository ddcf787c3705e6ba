// The SMS settings are read apart from core/config.ts; errors name the setting to fix.
import { describe, expect, it } from 'vitest';
import { parseSmsSettings } from '../../../bot/channels/sms/sms-settings.ts';

const aliyun = { SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'LTAI5tKey', SMS_ACCESS_KEY_SECRET: 'secret', SMS_SIGN_NAME: '星河汽车' };

describe('parseSmsSettings', () => {
  it('leaves SMS off when no provider is set', () => {
    expect(parseSmsSettings({})).toEqual({ ok: true, settings: null });
  });

  it('reads a provider with its default region', () => {
    expect(parseSmsSettings(aliyun)).toMatchObject({ ok: true, settings: { provider: 'aliyun', region: 'cn-hangzhou', endpoint: null, sdkAppId: null } });
    expect(parseSmsSettings({ ...aliyun, SMS_PROVIDER: 'tencent', SMS_SDK_APP_ID: '1400006666' })).toMatchObject({ ok: true, settings: { region: 'ap-guangzhou', sdkAppId: '1400006666' } });
  });

  it('names each setting that is missing or wrong', () => {
    const result = parseSmsSettings({ SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '星河汽车' });
    expect(!result.ok && result.errors.join('\n')).toMatch(/SMS_ACCESS_KEY_ID[\s\S]*SMS_ACCESS_KEY_SECRET/);
    const tencent = parseSmsSettings({ ...aliyun, SMS_PROVIDER: 'tencent' });
    expect(!tencent.ok && tencent.errors[0]).toContain('SMS_SDK_APP_ID');
    const token = parseSmsSettings({ ...aliyun, SMS_CALLBACK_TOKEN: 'short' });
    expect(!token.ok && token.errors[0]).toContain('SMS_CALLBACK_TOKEN');
  });

  it('takes an https endpoint, or plain http only to this machine', () => {
    expect(parseSmsSettings({ ...aliyun, SMS_ENDPOINT: 'http://127.0.0.1:4010' })).toMatchObject({ ok: true, settings: { endpoint: new URL('http://127.0.0.1:4010') } });
    expect(parseSmsSettings({ ...aliyun, SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com' })).toMatchObject({ ok: true });
    const plain = parseSmsSettings({ ...aliyun, SMS_ENDPOINT: 'http://dysmsapi.aliyuncs.com' });
    expect(!plain.ok && plain.errors[0]).toMatch(/SMS_ENDPOINT must use https/);
    const path = parseSmsSettings({ ...aliyun, SMS_ENDPOINT: 'https://example.com/api' });
    expect(!path.ok && path.errors[0]).toContain('SMS_ENDPOINT');
  });
});
