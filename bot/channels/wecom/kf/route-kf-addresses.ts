import type { ChannelSender, Envelope, SendOutcome } from '../../../../core/outbox/channel-port.ts';
import type { RateLimit } from '../../../../core/outbox/rate-limiter.ts';
import { kfExternalUserId } from './kf-chat-id.ts';

/**
 * The WECOM channel's one sender (the dispatcher keeps one per channel) made of two: `kf:`
 * addresses go to the 微信客服 sender, every other address to `others` (contact-me customers,
 * employees' app messages). It can push only where the kf windows say so (`reachNow`), or
 * where `others` can. An ambiguous send is resent only when both sides make that safe.
 */
export function routeKfAddresses(kf: ChannelSender, others: ChannelSender): ChannelSender {
  const pick = (address: string) => (kfExternalUserId(address) === null ? others : kf);
  return {
    channel: 'WECOM',
    resendIsSafe: kf.resendIsSafe && others.resendIsSafe,
    canPush: others.canPush,
    async reachNow(addresses: readonly string[], now: Date) {
      const kfAnswer = await kf.reachNow?.(addresses.filter((a) => pick(a) === kf), now);
      const otherAnswer = await others.reachNow?.(addresses.filter((a) => pick(a) === others), now);
      return new Map([...(otherAnswer ?? []), ...(kfAnswer ?? [])]);
    },
    rateLimits: (envelope: Envelope): RateLimit[] => pick(envelope.address).rateLimits(envelope),
    send: (envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> => pick(envelope.address).send(envelope, signal),
  };
}
