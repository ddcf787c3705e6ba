// Approved templates shared by the SMS tests: as the fake provider knows them (text) and as the
// bot's catalog describes them (variables in template order).
import type { SmsTemplateSpec } from '../../../bot/channels/sms/sms-template-params.ts';
import type { FakeSmsTemplate } from '../../fakes/fake-sms-server.ts';

export const SIGN = '星河汽车';
export const PHONE = '+8613800138000';

export const ALIYUN_TEMPLATES: Record<string, FakeSmsTemplate> = {
  SMS_465100001: { text: '尊敬的${name}，感谢您今天光临${store}，祝您用车愉快！', type: 'notification' },
  SMS_465100002: { text: '您的验证码为${code}，5分钟内有效。', type: 'verification' },
};

export const TENCENT_TEMPLATES: Record<string, FakeSmsTemplate> = {
  '1001': { text: '尊敬的{1}，感谢您今天光临{2}，祝您用车愉快！', type: 'notification' },
  '1002': { text: '您的验证码为{1}，5分钟内有效。', type: 'verification' },
};

const thanks = { type: 'notification', variables: [{ name: 'name', kind: 'text' }, { name: 'store', kind: 'text' }] } as const;
const code = { type: 'verification', variables: [{ name: 'code', kind: 'digits-code' }] } as const;

/** The bot's description of each approved template, by template code. */
export const ALIYUN_CATALOG: Readonly<Record<string, SmsTemplateSpec>> = { SMS_465100001: thanks, SMS_465100002: code };
export const TENCENT_CATALOG: Readonly<Record<string, SmsTemplateSpec>> = { '1001': thanks, '1002': code };

/** The visit-thanks message both providers render as 【星河汽车】尊敬的王先生，感谢您今天光临星河4S店，祝您用车愉快！ */
export const THANKS_PARAMS = { name: '王先生', store: '星河4S店' };
export const THANKS_TEXT = '【星河汽车】尊敬的王先生，感谢您今天光临星河4S店，祝您用车愉快！';
