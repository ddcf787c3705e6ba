import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { consentsInForce } from './consent-status.ts';
import { PRIVACY_NOTICE_VERSION } from './privacy-notice.ts';

/**
 * A customer who opted out ("TD") says "重新开始" / "restart": the promise of the opt-out
 * confirmation is kept. A new consent to service messages is recorded under the current notice
 * (shown to them with the confirmation), so care goes out again from now on; marketing stays as
 * it is (withdrawn), since it is a separate choice never implied by another. Messages cancelled by
 * the opt-out are not revived. Returns false when the customer had not opted out (nothing to resume).
 */
export async function resumeCare(tx: DatabaseTx, customerId: string, source: string, now: Date): Promise<boolean> {
  const inForce = await consentsInForce(tx, [customerId]);
  if (inForce.get(`${customerId}:SERVICE`) !== false) return false;
  await tx.consentRecord.create({ data: { customerId, purpose: 'SERVICE', granted: true, source, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now } });
  return true;
}

/** The confirmation of a resumed care (the notice follows it). */
export function resumedConfirmation(locale: Locale): string {
  return locale === 'en'
    ? 'Welcome back: you will receive service messages from us again (visit follow-ups, delivery reminders). Marketing messages stay off; ask the store to turn them on. To stop again, reply TD.'
    : '欢迎回来：我们会继续为您发送服务消息（如到店回访、交车提醒）。营销消息仍为关闭状态，如需开启请联系门店。如需再次退订，回复"TD"。';
}
