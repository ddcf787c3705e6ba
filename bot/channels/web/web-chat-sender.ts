import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../../core/outbox/channel-port.ts';
import type { RateLimit } from '../../../core/outbox/rate-limiter.ts';
import type { WebChatPresence } from './web-chat-presence.ts';

/**
 * The web chat's side of the outbox: "sending" stores the message for the chat page, which
 * polls for it. Keyed by intent, so a resend after an interrupted send is a no-op. A chat whose
 * page is closed is unattended: a customer message yields to SMS where SMS may carry it.
 */
export class WebChatSender implements ChannelSender {
  readonly channel = 'WEB' as const;
  readonly resendIsSafe = true;
  readonly canPush = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly presence: WebChatPresence,
  ) {}

  async unattended(addresses: readonly string[], now: Date): Promise<ReadonlySet<string>> {
    return new Set(addresses.filter((address) => !this.presence.watched(address, now)));
  }

  rateLimits(envelope: Envelope): RateLimit[] {
    return [{ key: `web:chat:${envelope.address}`, capacity: 5, perMs: 1000 }];
  }

  async send(envelope: Envelope): Promise<SendOutcome> {
    const row = await this.db.webChatMessage.upsert({
      where: { intentId: envelope.intentId },
      create: { chatId: envelope.address, intentId: envelope.intentId, payload: JSON.stringify(envelope.message), createdAt: this.clock.now() },
      update: {},
    });
    return { status: 'sent', providerMessageId: `web-${row.id}` };
  }
}
