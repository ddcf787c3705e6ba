import { describe, expect, it } from 'vitest';
import { wecomConnection, wecomSettings } from '../../../bot/channels/wecom/wecom-settings.ts';
import { parseSettings } from '../../../core/config.ts';
import { WECOM_TEST, wecomEnv } from '../../helpers/test-wecom.ts';

const parse = (env: Record<string, string>) => parseSettings(wecomSettings, env);

describe('WeCom settings', () => {
  it('leave WeCom off when none is set (blank values count as unset), with the real API as the default', () => {
    const parsed = parse({ WECOM_CORP_ID: '', WECOM_SECRET: ' ' });
    expect(parsed).toEqual({ ok: true, value: { WECOM_API_BASE: 'https://qyapi.weixin.qq.com' } });
    expect(parsed.ok && wecomConnection(parsed.value)).toBeNull();
  });

  it('connect with all five, the agent id as a number and the API base without a trailing slash', () => {
    const parsed = parse(wecomEnv('http://127.0.0.1:9999/'));
    expect(parsed.ok && wecomConnection(parsed.value)).toMatchObject({ WECOM_AGENT_ID: 1000002, WECOM_API_BASE: 'http://127.0.0.1:9999', WECOM_CORP_ID: WECOM_TEST.corpId });
  });

  it('refuse half a configuration, naming each missing setting', () => {
    const parsed = parse({ WECOM_CORP_ID: WECOM_TEST.corpId, WECOM_SECRET: WECOM_TEST.secret });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['WECOM_AGENT_ID', 'WECOM_CALLBACK_TOKEN', 'WECOM_ENCODING_AES_KEY']);
  });

  it('refuse an EncodingAESKey that is not 43 base64 characters, and an agent id that is not a number', () => {
    const parsed = parse({ ...wecomEnv('https://qyapi.weixin.qq.com'), WECOM_ENCODING_AES_KEY: 'tooShort', WECOM_AGENT_ID: 'app' });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? '' : parsed.problems.join('\n');
    expect(problems).toContain('WECOM_ENCODING_AES_KEY must be the EncodingAESKey');
    expect(problems).toContain('43 characters');
    expect(problems).toContain('WECOM_AGENT_ID');
  });
});
