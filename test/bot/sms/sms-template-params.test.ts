// Template variables are checked before sending by each provider's published rules; a refusal
// names the variable and the rule.
import { describe, expect, it } from 'vitest';
import { checkTemplateParams, type SmsTemplateSpec } from '../../../bot/channels/sms/sms-template-params.ts';

const visit: SmsTemplateSpec = { type: 'notification', variables: [{ name: 'name', kind: 'text' }, { name: 'time', kind: 'time' }, { name: 'phone', kind: 'phone' }] };
const code: SmsTemplateSpec = { type: 'verification', variables: [{ name: 'code', kind: 'digits-code' }] };
const ok = { name: '王先生', time: '05-01 14:30', phone: '400-123-1234' };

describe('checkTemplateParams', () => {
  it('passes valid values back in template order, whatever the order they came in', () => {
    expect(checkTemplateParams('tencent', visit, { phone: '400-123-1234', time: '14:30', name: '王先生' })).toEqual({ ok: true, ordered: ['王先生', '14:30', '400-123-1234'] });
    expect(checkTemplateParams('aliyun', visit, ok)).toMatchObject({ ok: true });
  });

  it('refuses missing, empty and unknown variables', () => {
    expect(checkTemplateParams('aliyun', visit, { name: '王先生', time: '14:30' })).toMatchObject({ ok: false, param: 'phone', rule: 'missing' });
    expect(checkTemplateParams('aliyun', visit, { ...ok, name: '  ' })).toMatchObject({ ok: false, param: 'name', rule: 'missing' });
    expect(checkTemplateParams('tencent', visit, { ...ok, extra: 'x' })).toMatchObject({ ok: false, param: 'extra', rule: 'unknown-variable' });
    expect(checkTemplateParams('aliyun', visit, { ...ok, ['__proto__' as string]: 'x' })).toMatchObject({ ok: false, rule: 'unknown-variable' });
  });

  it('refuses links and signature brackets in any variable, for both providers', () => {
    for (const provider of ['aliyun', 'tencent'] as const) {
      for (const link of ['https://t.cn/abc', 'www.xinghe.com', 'xinghe.cn/a']) {
        const result = checkTemplateParams(provider, visit, { ...ok, name: link });
        expect(result).toMatchObject({ ok: false, param: 'name', rule: 'no-link' });
        expect(!result.ok && result.error).toContain('"name"');
      }
      expect(checkTemplateParams(provider, visit, { ...ok, name: '【假】' })).toMatchObject({ ok: false, rule: 'no-signature-brackets' });
    }
  });

  it('applies Alibaba\'s lengths and formats', () => {
    expect(checkTemplateParams('aliyun', visit, { ...ok, name: '王'.repeat(35) })).toMatchObject({ ok: true });
    expect(checkTemplateParams('aliyun', visit, { ...ok, name: '王'.repeat(36) })).toMatchObject({ ok: false, rule: 'max-length', error: expect.stringContaining('35') });
    expect(checkTemplateParams('aliyun', code, { code: '123' })).toMatchObject({ ok: false, rule: 'code-format' });
    expect(checkTemplateParams('aliyun', code, { code: '1234567' })).toMatchObject({ ok: false, rule: 'code-format' });
    expect(checkTemplateParams('aliyun', visit, { ...ok, phone: '12345' })).toMatchObject({ ok: true });
    expect(checkTemplateParams('aliyun', visit, { ...ok, phone: '138 0013 8000' })).toMatchObject({ ok: false, rule: 'phone-format' });
    expect(checkTemplateParams('aliyun', visit, { ...ok, time: '下周' })).toMatchObject({ ok: false, rule: 'time-format' });
  });

  it('applies Tencent\'s 12-character limit unless the spec allows more, and digits-only codes', () => {
    expect(checkTemplateParams('tencent', visit, { ...ok, name: '王'.repeat(13) })).toMatchObject({ ok: false, rule: 'max-length', error: expect.stringContaining('12') });
    const enterprise: SmsTemplateSpec = { ...visit, variables: [{ name: 'name', kind: 'text', maxLength: 30 }, ...visit.variables.slice(1)] };
    expect(checkTemplateParams('tencent', enterprise, { ...ok, name: '王'.repeat(13) })).toMatchObject({ ok: true });
    expect(checkTemplateParams('tencent', code, { code: '123' })).toMatchObject({ ok: true });
    expect(checkTemplateParams('tencent', code, { code: '12a' })).toMatchObject({ ok: false, rule: 'code-format' });
  });
});
