import type { Clock } from '../../core/clock.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../core/outbox/channel-port.ts';
import type { RateLimit } from '../../core/outbox/rate-limiter.ts';
import type { ChannelName } from '../../core/messages.ts';

/** An in-process channel whose answers a test scripts; it records every call with the clock's time. */
export class FakeSender implements ChannelSender {
  readonly calls: { envelope: Envelope; at: Date }[] = [];
  answer: (envelope: Envelope, callIndex: number) => SendOutcome = (envelope) => ({ status: 'sent', providerMessageId: `msg-${envelope.intentId}` });
  limits: (envelope: Envelope) => RateLimit[] = () => [];

  constructor(
    private readonly clock: Clock,
    readonly channel: ChannelName = 'WEB',
    readonly resendIsSafe = false,
    readonly canPush = true,
  ) {}

  rateLimits(envelope: Envelope): RateLimit[] {
    return this.limits(envelope);
  }

  async send(envelope: Envelope): Promise<SendOutcome> {
    this.calls.push({ envelope, at: this.clock.now() });
    return this.answer(envelope, this.calls.length - 1);
  }

  /** How many times each dedupe key was sent. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { envelope } of this.calls) counts.set(envelope.dedupeKey, (counts.get(envelope.dedupeKey) ?? 0) + 1);
    return counts;
  }
}
