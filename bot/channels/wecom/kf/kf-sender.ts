import type { Clock } from '../../../../core/clock.ts';
import type { Database } from '../../../../core/db/open-database.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../../../core/outbox/channel-port.ts';
import type { RateLimit } from '../../../../core/outbox/rate-limiter.ts';
import type { WecomApiClient } from '../wecom-api-client.ts';
import { kfSendAnswer } from '../wecom-api-schemas.ts';
import { classifyWecomError } from '../wecom-errors.ts';
import { kfExternalUserId } from './kf-chat-id.ts';
import { renderForKf } from './kf-render.ts';
import { closeWindow, openWindows, releaseSend, reserveSend } from './kf-window.ts';

/** kf/send_msg's own msgid: ≤ 32 bytes of [0-9a-zA-Z_-], unique within the kf account. */
const KF_MSGID = /^[0-9A-Za-z_-]{1,32}$/;

/** What the kf sender needs. */
export interface KfSenderDeps {
  api: WecomApiClient;
  db: Database;
  clock: Clock;
  /** The 微信客服 account the messages are sent from. */
  openKfId: string;
}

/**
 * The outbox's sender for 微信客服 chats (`kf:<external_userid>` addresses of the WECOM channel).
 * A kf chat can be written to only within its window (5 messages within 48 h of the customer's
 * last message): `reachNow` tells reach planning which chats are open, and `send` reserves a
 * slot in the window before each call, so a message outside it is never sent but answered
 * `window-closed` (the consultant gets it as a task). WeCom's own 95001 / 95002 mean the same.
 * Each send carries the intent's id as kf's own msgid, which WeCom requires unique within the
 * account and refuses when repeated: an identical resend after a lost answer cannot deliver twice.
 */
export class KfSender implements ChannelSender {
  readonly channel = 'WECOM' as const;
  readonly resendIsSafe = true;
  /** Whether a kf chat can be pushed to depends on its window: `reachNow` answers per chat. */
  readonly canPush = false;

  constructor(private readonly deps: KfSenderDeps) {}

  /** kf/send_msg documents no rate limit besides the window, which `send` enforces. */
  rateLimits(): RateLimit[] {
    return [];
  }

  /** The windows of the kf chats among `addresses`; other WECOM addresses are left to the channel's `canPush`. */
  async reachNow(addresses: readonly string[], now: Date): Promise<ReadonlyMap<string, boolean>> {
    const kfChats = addresses.filter((a) => kfExternalUserId(a) !== null);
    return kfChats.length === 0 ? new Map() : openWindows(this.deps.db, kfChats, now);
  }

  async send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> {
    const { db, clock, api, openKfId } = this.deps;
    const toUser = kfExternalUserId(envelope.address);
    if (toUser === null) return { status: 'rejected', error: `${envelope.address} is not a 微信客服 chat` };
    if (!(await reserveSend(db, envelope.address, clock.now()))) {
      return { status: 'window-closed', error: '微信客服: 5 messages within 48 h of the customer\'s last message are used up, or 48 h have passed' };
    }
    const msgid = KF_MSGID.test(envelope.intentId) ? envelope.intentId : undefined;
    try {
      const body = { touser: toUser, open_kfid: openKfId, msgid, ...renderForKf(envelope.message) };
      const answer = await api.call('kf/send_msg', { body }, kfSendAnswer, signal);
      return { status: 'sent', providerMessageId: `kf:${answer.msgid}` };
    } catch (error) {
      const outcome = classifyWecomError(error);
      // The slot is given back only when the message certainly did not leave.
      if (outcome.status === 'window-closed') await closeWindow(db, envelope.address);
      else if (outcome.status !== 'ambiguous') await releaseSend(db, envelope.address);
      return outcome;
    }
  }
}
