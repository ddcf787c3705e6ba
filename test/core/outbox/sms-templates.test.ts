// An SMS template is checked against its message kind when an admin saves it: every parameter
// mapped to one of the kind's variables, the provider's placeholder style and code format,
// marketing with 回T退订, survey kinds with their answer link in the text.
import { describe, expect, it } from 'vitest';
import { fillSmsParams, smsPlaceholders, validateSmsTemplate } from '../../../core/outbox/sms-templates.ts';

const BASE = 'https://showroom.example.cn';
const aliyun = { style: 'aliyun' as const, linkBase: BASE };
const tencent = { style: 'tencent' as const, linkBase: BASE };
const thanks = { templateCode: 'SMS_465100001', text: '尊敬的${name}，感谢您今天光临${store}！', params: 'name=honorific\nstore=storeName' };

describe('validateSmsTemplate', () => {
  it('returns the parameters in template order with the variable each takes', () => {
    expect(validateSmsTemplate('visit_thanks', thanks, aliyun)).toEqual({ kind: 'visit_thanks', templateCode: 'SMS_465100001', text: thanks.text, params: { name: 'honorific', store: 'storeName' } });
    expect(validateSmsTemplate('visit_thanks', { templateCode: '1850001', text: '{2}欢迎{1}再来', params: '2=storeName, 1=honorific' }, tencent).params).toEqual({ 1: 'honorific', 2: 'storeName' });
  });

  it('refuses a parameter without a variable, a variable the kind does not have, and a mapping for no parameter', () => {
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, params: 'name=honorific' }, aliyun)).toThrow(/params parameter store of the text is not mapped/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, params: 'name=honorific\nstore=deliveryTime' }, aliyun)).toThrow(/deliveryTime is not a variable of visit_thanks; allowed: storeName/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, params: `${thanks.params}\nextra=hotline` }, aliyun)).toThrow(/parameter extra is not in the text/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, params: 'name honorific' }, aliyun)).toThrow(/is not parameter=variable/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, params: 'name=honorific\nname=storeName' }, aliyun)).toThrow(/mapped twice/);
  });

  it('holds the provider\'s style: template codes, placeholders, no gaps, no signature in the text', () => {
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, templateCode: '1850001' }, aliyun)).toThrow(/templateCode .*like SMS_465100001/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, templateCode: '1850001' }, tencent)).toThrow(/uses Alibaba Cloud placeholders/);
    expect(() => validateSmsTemplate('visit_thanks', { templateCode: '1850001', text: '{1}欢迎{3}', params: '1=honorific\n3=storeName' }, tencent)).toThrow(/gaps/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, text: `【星河汽车】${thanks.text}` }, aliyun)).toThrow(/signature/);
    expect(() => validateSmsTemplate('visit_thanks', { ...thanks, text: '   ' }, aliyun)).toThrow(/text must be the approved text/);
    expect(() => validateSmsTemplate('no_such_kind', thanks, aliyun)).toThrow(/not a message kind that may go by SMS/);
    expect(() => validateSmsTemplate('toString', thanks, aliyun)).toThrow(/not a message kind/);
  });

  it('wants the opt-out hint in a marketing template', () => {
    const greeting = { templateCode: 'SMS_465100003', text: '${name}，生日快乐！${store}祝您万事如意。', params: 'name=honorific\nstore=storeName' };
    expect(() => validateSmsTemplate('birthday_greeting', greeting, aliyun)).toThrow(/marketing template and must carry the opt-out hint 回T退订/);
    expect(validateSmsTemplate('birthday_greeting', { ...greeting, text: `${greeting.text}回T退订` }, aliyun).kind).toBe('birthday_greeting');
    expect(validateSmsTemplate('birthday_greeting', { ...greeting, text: `${greeting.text}拒收请回复R` }, aliyun).kind).toBe('birthday_greeting');
  });

  it('wants a survey template to hold its answer link, with the code as the parameter', () => {
    const survey = { templateCode: 'SMS_465100004', text: `请为本次接待打分：${BASE}/s/\${code}`, params: 'code=surveyCode' };
    expect(validateSmsTemplate('visit_survey', survey, aliyun).params).toEqual({ code: 'surveyCode' });
    expect(() => validateSmsTemplate('visit_survey', { ...survey, text: '请为本次接待打分：https://evil.example/s/${code}' }, aliyun)).toThrow(`must hold the answer link ${BASE}/s/\${code}`);
    expect(() => validateSmsTemplate('visit_survey', { ...survey, text: '请为本次接待打分：${code}', params: 'code=storeName' }, aliyun)).toThrow(/answer link/);
    expect(validateSmsTemplate('visit_survey', { templateCode: '1850004', text: `{1}请打分：${BASE}/s/{2}`, params: '1=storeName\n2=surveyCode' }, tencent).params).toEqual({ 1: 'storeName', 2: 'surveyCode' });
  });
});

describe('filling a template', () => {
  it('takes each parameter from the message\'s variables, and names the first one missing', () => {
    const template = validateSmsTemplate('visit_thanks', thanks, aliyun);
    expect(fillSmsParams(template, { honorific: '张伟', storeName: '星河4S店', hotline: 'x' })).toEqual({ ok: true, params: { name: '张伟', store: '星河4S店' } });
    expect(fillSmsParams(template, { honorific: '张伟', storeName: ' ' })).toEqual({ ok: false, missing: 'storeName' });
    expect(fillSmsParams(template, Object.create({ storeName: 'inherited', honorific: 'x' }) as Record<string, string>)).toEqual({ ok: false, missing: 'honorific' });
  });

  it('lists placeholders in template order', () => {
    expect(smsPlaceholders('${b}${a}${b}')).toEqual(['b', 'a']);
    expect(smsPlaceholders('{2}{1}{10}')).toEqual(['1', '2', '10']);
  });
});
