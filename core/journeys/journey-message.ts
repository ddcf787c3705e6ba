import type { Locale } from '../config.ts';
import { honorificOf } from '../customers/honorific.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';
import type { ChannelName } from '../messages.ts';
import type { TemplateKind } from './template-defaults.ts';
import { renderTemplate, templateBody, type TemplateVariables } from './templates.ts';

/** Formats an instant for a customer, in the store's time zone: "11月25日 周三 14:00" / "Wed 25 Nov, 14:00". */
export function formatLocalTime(instant: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone, month: locale === 'en' ? 'short' : 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(instant);
}

/** Formats a calendar date (YYYY-MM-DD) for a customer: "2027年2月20日" / "20 February 2027". */
export function formatLocalDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** What earlier versions put in a new store's address: never shown to a customer. */
const OLD_ADDRESS_PLACEHOLDER = '请在设置中填写门店地址';

/** Whether the store has a real address to give customers. */
export function hasCustomerAddress(store: { address: string }): boolean {
  return store.address.trim() !== '' && store.address.trim() !== OLD_ADDRESS_PLACEHOLDER;
}

/** The address a customer reads ("at {address}"): the store's, or its name while none is set, never a placeholder. */
function addressForCustomers(store: { name: string; address: string }): string {
  return hasCustomerAddress(store) ? store.address.trim() : store.name;
}

/** The variables every journey message to a customer can use. */
export async function customerVariables(tx: DatabaseTx, storeId: string, customerId: string, consultantId: string | null): Promise<{ locale: Locale; variables: TemplateVariables }> {
  const [store, customer, consultant] = await Promise.all([
    tx.store.findUniqueOrThrow({ where: { id: storeId } }),
    tx.customer.findUniqueOrThrow({ where: { id: customerId } }),
    consultantId ? tx.staff.findUnique({ where: { id: consultantId } }) : null,
  ]);
  const locale: Locale = customer.locale === 'en' ? 'en' : 'zh-CN';
  return {
    locale,
    variables: {
      customerName: customer.name,
      honorific: honorificOf(customer.name, customer.salutation),
      storeName: store.name,
      hotline: store.hotline,
      address: addressForCustomers(store),
      consultantName: consultant?.name ?? (locale === 'en' ? 'your consultant' : '您的销售顾问'),
    },
  };
}

/** One journey message to queue for a customer. */
export interface JourneyMessage {
  dedupeKey: string;
  storeId: string;
  customerId: string;
  kind: TemplateKind;
  purpose: 'SERVICE' | 'MARKETING';
  locale: Locale;
  variables: TemplateVariables;
  sendAt: Date;
  expiresAt: Date;
  priority?: number;
  channel?: ChannelName;
  address?: string;
  /** Re-arm a key that was cancelled before (a delivery moved back to an earlier date). */
  reviveCancelled?: boolean;
}

/** The variables that have a value. */
function definedOnly(variables: TemplateVariables): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Renders the store's template for the message and queues it (with its variables, for SMS) in the caller's transaction. */
export async function queueJourneyMessage(tx: DatabaseTx, message: JourneyMessage): Promise<boolean> {
  const body = await templateBody(tx, message.storeId, message.kind, message.locale);
  return enqueueIntent(tx, {
    dedupeKey: message.dedupeKey,
    storeId: message.storeId,
    customerId: message.customerId,
    ...(message.channel && message.address ? { channel: message.channel, address: message.address } : {}),
    purpose: message.purpose,
    kind: message.kind,
    message: { kind: 'text', text: renderTemplate(body, message.variables) },
    variables: definedOnly(message.variables),
    sendAt: message.sendAt,
    expiresAt: message.expiresAt,
    priority: message.priority ?? 0,
    reviveCancelled: message.reviveCancelled ?? false,
  });
}
