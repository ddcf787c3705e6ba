import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import type { SmsCallbackEvent } from './sms-callbacks.ts';

/** A stored callback event: as the route wrote it (JSON turns its dates into strings). */
type Stored<E> = E extends SmsCallbackEvent ? Omit<E, 'at'> & { at: string } : never;
type StoredEvent = Stored<SmsCallbackEvent>;

/**
 * Reads stored SMS callback events: a delivery receipt is recorded on its message by core; a
 * reply is the customer's text from their number (the number vouches for who they are), read
 * by core's inbound pipeline like any chat text (opt-out, a survey score…).
 */
export function smsInboxAdapter(): InboxAdapter {
  return {
    channel: 'SMS',
    async read(row) {
      const event = JSON.parse(row.payload) as StoredEvent;
      if (event.kind === 'receipt') {
        const { providerMessageId, outId, delivered, code, at } = event;
        return { receipt: { providerMessageId, ...(outId ? { outId } : {}), delivered, code, at: new Date(at) } };
      }
      return { event: { kind: 'text', text: event.text }, senderPhone: event.phoneE164 };
    },
  };
}
