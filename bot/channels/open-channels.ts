import { inboxHandler } from '../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../core/inbox/inbox-worker.ts';
import type { AppContext } from '../app-context.ts';
import type { ConfiguredChannel } from '../settings.ts';
import type { ChannelDeps, ChannelModule, OpenChannel, StatusLine } from './channel-module.ts';

/** The configured channels, opened. */
export interface Channels {
  /** Those that run, in the catalog's order. */
  running: OpenChannel[];
  /** Those their settings leave off. */
  off: ChannelModule[];
  /** What start-up prints for them, in the catalog's order. */
  statusLines: StatusLine[];
}

/** Opens each configured channel in turn (a ChannelSetupError stops start-up with what to fix). */
export async function openChannels(configured: readonly ConfiguredChannel[], deps: ChannelDeps): Promise<Channels> {
  const channels: Channels = { running: [], off: [], statusLines: [] };
  for (const { module, settings } of configured) {
    const open = await module.open(settings, deps);
    if (open) channels.running.push(open);
    else channels.off.push(module);
    channels.statusLines.push(...(open ? open.statusLines() : [{ label: module.label, value: `off (${module.whenOff?.howToEnable ?? 'see README'})` }]));
  }
  return channels;
}

/**
 * Starts the one inbox worker that handles what the running channels' intakes stored, each
 * update read by its channel's adapter; null when no running channel uses the inbox (the web alone).
 */
export function startInboxWorker(ctx: AppContext, alertStoreId: string, onHandled: () => void): InboxWorker | null {
  const adapters = ctx.channels.flatMap((channel) => (channel.inbox ? [channel.inbox] : []));
  if (adapters.length === 0) return null;
  const worker = new InboxWorker({ db: ctx.db, clock: ctx.clock, logger: ctx.logger, alertStoreId, onHandled, handle: inboxHandler(ctx.inbound, adapters) });
  worker.start();
  return worker;
}

/** Start-up's lines, label and value aligned as in the README. */
export function formatStatusLines(lines: readonly StatusLine[]): string[] {
  return lines.map(({ label, value }) => `  ${`${label}:`.padEnd(28)}${value}`);
}
