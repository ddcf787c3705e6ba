import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import { recordRelationshipEnded } from '../../../core/customers/relationship-ended.ts';
import { readStartCommand, readStartPayload } from '../../../core/inbound/start-payload.ts';
import type { InboundEvent } from '../../../core/messages.ts';
import type { WecomKf } from './kf/create-wecom-kf.ts';
import { kfExternalUserId } from './kf/kf-chat-id.ts';
import type { WecomCallbackEvent } from './wecom-callback-xml.ts';
import type { WecomCustomerHandover } from './wecom-customer-handover.ts';
import { relationshipEndedText } from './wecom-texts.ts';
import { sendWelcomeOnce, type WelcomeDeps } from './wecom-welcome.ts';

/** What reading stored WeCom callbacks needs. */
export interface WecomInboxDeps {
  welcome: WelcomeDeps;
  /** 微信客服, when configured: its chats' rows (`kf:` chat ids) and its pulls on a kf_msg_or_event. */
  kf: WecomKf | null;
  /** The store alerted when an employee is not linked to a staff member. */
  alertStoreId: string;
  /** Handovers' customer transfers: a transfer_fail callback ends one. */
  customerHandover: Pick<WecomCustomerHandover, 'onTransferFailed'>;
}

/**
 * Reads stored WeCom callbacks (the normalized events the callback route stored) into core's
 * InboundEvent. An employee's text to the app is text: a linked staff member's is a staff
 * command. The 客户联系 events are the channel's own slow work, done here after the callback
 * was answered: an add event's welcome, if the callback handler's did not happen (a crash right
 * after storing), an ended relationship's alert, a failed transfer of a handover; for core they
 * are then ignored.
 */
export function wecomInboxAdapter(deps: WecomInboxDeps): InboxAdapter {
  return {
    channel: 'WECOM',
    async read(row) {
      if (deps.kf && kfExternalUserId(row.chatId) !== null) return deps.kf.inbox.read(row);
      const event = JSON.parse(row.payload) as WecomCallbackEvent;
      return { event: await readEvent(deps, event) };
    },
  };
}

async function readEvent(deps: WecomInboxDeps, event: WecomCallbackEvent): Promise<InboundEvent> {
  switch (event.kind) {
    case 'app-text': {
      // `/start <code>` typed in the app starts at a QR source, as a Telegram deep link does (an employee trying the flow).
      const start = readStartCommand(event.content);
      return start ? readStartPayload(start.payload) : { kind: 'text', text: event.content };
    }
    case 'external-contact-added':
      // Already claimed by the callback handler in the normal case; WeCom refuses a late welcome anyway.
      await sendWelcomeOnce(deps.welcome, event);
      return { kind: 'ignored', reason: 'wecom: customer added an employee (welcomed)' };
    case 'external-contact-removed':
      await recordRelationshipEnded(deps.welcome.db, {
        channel: 'WECOM', staffExternalId: event.userId, customerExternalId: event.externalUserId, byCustomer: event.changeType === 'del_follow_user',
        eventKey: event.dedupeKey, fallbackStoreId: deps.alertStoreId, now: deps.welcome.clock.now(), notice: relationshipEndedText,
      });
      return { kind: 'ignored', reason: `wecom: ${event.changeType}` };
    case 'transfer-failed':
      await deps.customerHandover.onTransferFailed(event);
      return { kind: 'ignored', reason: `wecom: transfer_fail ${event.failReason}` };
    case 'kf-msg-or-event':
      // The pull stores each new kf message as its own row (chat `kf:<external user>`), handled in turn.
      if (!deps.kf) return { kind: 'ignored', reason: 'wecom: 微信客服 is not configured (WECOM_KF_OPEN_KFID)' };
      await deps.kf.onKfEvent(event.token, event.openKfId);
      return { kind: 'ignored', reason: 'wecom: 微信客服 messages pulled' };
    case 'ignored':
      return { kind: 'ignored', reason: `wecom: ${event.msgType}${event.event ? ` ${event.event}` : ''}` };
    default:
      return event satisfies never;
  }
}
