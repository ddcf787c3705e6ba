import type { ChannelModule } from './channel-module.ts';
import { smsChannelModule } from './sms/sms-module.ts';
import { telegramChannelModule } from './telegram/telegram-module.ts';
import { webChannelModule } from './web/web-channel.ts';
import { wecomChannelModule } from './wecom/wecom-module.ts';

/**
 * Every channel this program can run, in the order they are opened, listed on the admin pages
 * and printed at start-up. SMS comes last: planning turns to it only when no chat reaches a customer.
 */
export const CHANNEL_MODULES: readonly ChannelModule[] = [webChannelModule, telegramChannelModule, wecomChannelModule, smsChannelModule];
