import { html } from '../../http/html.ts';
import type { ChannelModule } from '../channel-module.ts';
import { createTelegramChannel } from './telegram-channel.ts';
import { telegramSettings } from './telegram-settings.ts';

/** Telegram through grammY: on when TELEGRAM_BOT_TOKEN is set (see "Telegram" in README.md). */
export const telegramChannelModule: ChannelModule<typeof telegramSettings> = {
  channel: 'TELEGRAM',
  label: 'Telegram',
  settings: telegramSettings,
  offers: { entryLinks: true, staffInvitations: true },
  whenOff: {
    howToEnable: 'set TELEGRAM_BOT_TOKEN to connect a bot; see README',
    setupHint: html`请在 @BotFather 创建机器人，把令牌写入 <code>TELEGRAM_BOT_TOKEN</code>（见 .env.example 与 README 的 Telegram 一节），然后重启服务。`,
  },
  async open(settings, deps) {
    return settings.TELEGRAM_BOT_TOKEN ? createTelegramChannel(settings, deps) : null;
  },
};
