import type { ChannelModule } from './channel-module.ts';
import { telegramChannelModule } from './telegram/telegram-module.ts';
import { webChannelModule } from './web/web-channel.ts';

/**
 * Every channel this program can run, in the order they are opened, listed on the admin pages
 * and printed at start-up. WeCom and SMS join as one more module each.
 */
export const CHANNEL_MODULES: readonly ChannelModule[] = [webChannelModule, telegramChannelModule];
