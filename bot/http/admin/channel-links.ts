import QRCode from 'qrcode';
import type { ChannelName } from '../../../core/messages.ts';
import type { AppContext } from '../../app-context.ts';
import type { ChannelModule, OpenChannel } from '../../channels/channel-module.ts';
import { trusted, type SafeHtml } from '../html.ts';

/** A channel's name in admin URLs and forms: web, telegram, wecom. */
export const channelUrlName = (channel: ChannelName): string => channel.toLowerCase();

/** The channel an admin URL names: running, or known but off; null when there is no such channel. */
export function findChannel(ctx: AppContext, urlName: string): { open: OpenChannel } | { off: ChannelModule } | null {
  const open = ctx.channels.find((c) => channelUrlName(c.channel) === urlName);
  if (open) return { open };
  const off = ctx.channelsOff.find((m) => channelUrlName(m.channel) === urlName);
  return off ? { off } : null;
}

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

/** A link as a QR code, SVG markup to show on a page. */
export async function qrSvg(link: string): Promise<SafeHtml> {
  return trusted(await QRCode.toString(link, { type: 'svg', ...QR_OPTIONS }));
}

/** A link as a QR code, a 1024-pixel PNG to print. */
export async function qrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: 'png', ...QR_OPTIONS, width: 1024 });
}
