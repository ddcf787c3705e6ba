import type { ChannelName } from '../messages.ts';

/** The line a chat's messages wait in: one at a time, in the order they became due. */
export function laneOf(channel: ChannelName, address: string): string {
  return `${channel}:${address}`;
}
