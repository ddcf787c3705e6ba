import { html } from '../../http/html.ts';
import type { ChannelModule } from '../channel-module.ts';
import { createWecomChannel } from './wecom-channel.ts';
import { wecomConnection, wecomSettings } from './wecom-settings.ts';

/** WeCom (企业微信) through a self-built app: on when its WECOM_* settings are set (see "WeCom" in README.md). */
export const wecomChannelModule: ChannelModule<typeof wecomSettings> = {
  channel: 'WECOM',
  label: 'WeCom',
  settings: wecomSettings,
  offers: { entryLinks: true, staffInvitations: false },
  whenOff: {
    howToEnable: 'set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_CALLBACK_TOKEN and WECOM_ENCODING_AES_KEY; see README',
    setupHint: html`请在企业微信管理后台创建自建应用（开通客户联系权限），把企业ID、AgentId、Secret、接收消息的 Token 与 EncodingAESKey 写入 <code>WECOM_*</code> 设置（见 .env.example 与 README 的 WeCom 一节），然后重启服务。`,
  },
  async open(settings, deps) {
    const connection = wecomConnection(settings);
    return connection ? createWecomChannel(connection, deps) : null;
  },
};
