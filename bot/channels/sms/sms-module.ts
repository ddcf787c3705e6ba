import { html } from '../../http/html.ts';
import type { ChannelModule } from '../channel-module.ts';
import { createSmsChannel } from './sms-channel.ts';
import { smsConnection, smsSettings } from './sms-settings.ts';

/** Cloud SMS (Alibaba Cloud or Tencent Cloud): on when SMS_PROVIDER and its settings are set (see "SMS" in README.md). */
export const smsChannelModule: ChannelModule<typeof smsSettings> = {
  channel: 'SMS',
  label: 'SMS',
  settings: smsSettings,
  offers: { entryLinks: false, staffInvitations: false },
  whenOff: {
    howToEnable: 'set SMS_PROVIDER, SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME and SMS_CALLBACK_TOKEN (and SMS_SDK_APP_ID for Tencent); see README',
    setupHint: html`请在阿里云或腾讯云短信控制台申请签名和模板，把密钥、签名与回调口令写入 <code>SMS_*</code> 设置（见 .env.example 与 README 的 SMS 一节），然后重启服务。`,
  },
  async open(settings, deps) {
    const connection = smsConnection(settings);
    return connection ? createSmsChannel(connection, deps) : null;
  },
};
