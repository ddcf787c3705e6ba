// The SMS settings are read apart from core/config.ts, like every channel's; errors name the setting to fix.
import { describe, expect, it } from 'vitest';
import { smsConnection, smsSettings } from '../../../bot/channels/sms/sms-settings.ts';
import { parseSettings } from '../../../core/config.ts';

const TOKEN = 'cb_0123456789abcdefghijklmnopqrstuv';
const aliyun = { SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'LTAI5tKey', SMS_ACCESS_KEY_SECRET: 'secret', SMS_SIGN_NAME: '星河汽车', SMS_CALLBACK_TOKEN: TOKEN };

function read(env: Record<string, string>) {
  const parsed = parseSettings(smsSettings, env);
  return parsed.ok ? { ok: true as const, settings: smsConnection(parsed.value) } : { ok: false as const, errors: parsed.problems };
}

describe('SMS settings', () => {
  it('leave SMS off when no provider is set', () => {
    expect(read({})).toEqual({ ok: true, settings: null });
  });

  it('read a provider with its default region, mainland numbers only unless told', () => {
    expect(read(aliyun)).toMatchObject({ ok: true, settings: { provider: 'aliyun', region: 'cn-hangzhou', endpoint: null, sdkAppId: null, international: false, callbackToken: TOKEN } });
    expect(read({ ...aliyun, SMS_PROVIDER: 'tencent', SMS_SDK_APP_ID: '1400006666', SMS_INTERNATIONAL: 'true' })).toMatchObject({ ok: true, settings: { region: 'ap-guangzhou', sdkAppId: '1400006666', international: true } });
  });

  it('name each setting that is missing or wrong', () => {
    const result = read({ SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '星河汽车' });
    expect(!result.ok && result.errors.join('\n')).toMatch(/SMS_ACCESS_KEY_ID[\s\S]*SMS_ACCESS_KEY_SECRET[\s\S]*SMS_CALLBACK_TOKEN/);
    const tencent = read({ ...aliyun, SMS_PROVIDER: 'tencent' });
    expect(!tencent.ok && tencent.errors.join('\n')).toContain('SMS_SDK_APP_ID');
    const token = read({ ...aliyun, SMS_CALLBACK_TOKEN: 'short' });
    expect(!token.ok && token.errors.join('\n')).toContain('SMS_CALLBACK_TOKEN');
    const half = read({ SMS_ACCESS_KEY_ID: 'LTAI5tKey' });
    expect(!half.ok && half.errors.join('\n')).toMatch(/SMS_ACCESS_KEY_ID.*set SMS_PROVIDER/);
    const brackets = read({ ...aliyun, SMS_SIGN_NAME: '【星河汽车】' });
    expect(!brackets.ok && brackets.errors.join('\n')).toContain('without 【】');
  });

  it('take an https endpoint, or plain http only to this machine', () => {
    expect(read({ ...aliyun, SMS_ENDPOINT: 'http://127.0.0.1:4010' })).toMatchObject({ ok: true, settings: { endpoint: new URL('http://127.0.0.1:4010') } });
    expect(read({ ...aliyun, SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com' })).toMatchObject({ ok: true });
    const plain = read({ ...aliyun, SMS_ENDPOINT: 'http://dysmsapi.aliyuncs.com' });
    expect(!plain.ok && plain.errors.join('\n')).toMatch(/SMS_ENDPOINT.*must use https/);
    const path = read({ ...aliyun, SMS_ENDPOINT: 'https://example.com/api' });
    expect(!path.ok && path.errors.join('\n')).toContain('SMS_ENDPOINT');
  });
});
