import type { DatabaseTx } from '../db/open-database.ts';
import { raiseAlert } from '../outbox/alerts.ts';
import { messageStaff, storeManagers } from '../outbox/staff-message.ts';
import type { RegistrationLimits } from './registration-limits.ts';

const WINDOW_MS = 60_000;

/**
 * Whether the store may issue a voucher now. A burst of vouchers above the store's normal rate
 * (`giftBurstPerMinute` in the last minute) pauses issuing for `giftPauseMinutes`: people
 * still register, their gift is confirmed at the desk, and the stock cannot be drained by
 * made-up numbers. The pause starts with a guarded update, so however many registrations (and
 * instances) cross the line at once, the managers are alerted once per pause.
 */
export async function giftIssuingOpen(tx: DatabaseTx, args: { storeId: string; now: Date; limits: RegistrationLimits }): Promise<boolean> {
  const { storeId, now, limits } = args;
  const store = await tx.store.findUniqueOrThrow({ where: { id: storeId }, select: { giftsPausedUntil: true } });
  if (store.giftsPausedUntil && store.giftsPausedUntil > now) return false;
  const recent = await tx.voucher.count({ where: { campaign: { storeId }, issuedAt: { gt: new Date(now.getTime() - WINDOW_MS) } } });
  if (recent < limits.giftBurstPerMinute) return true;
  const until = new Date(now.getTime() + limits.giftPauseMinutes * 60_000);
  const started = await tx.store.updateMany({
    where: { id: storeId, OR: [{ giftsPausedUntil: null }, { giftsPausedUntil: { lte: now } }] },
    data: { giftsPausedUntil: until },
  });
  if (started.count === 1) await alertGiftPause(tx, { storeId, now, recent, minutes: limits.giftPauseMinutes });
  return false;
}

async function alertGiftPause(tx: DatabaseTx, args: { storeId: string; now: Date; recent: number; minutes: number }): Promise<void> {
  const text = `【礼品发放已暂停】过去 1 分钟内发出了 ${args.recent} 张礼品券，超过门店平时的速度，可能有人在批量刷券。接下来 ${args.minutes} 分钟内的登记照常进行，礼品改为前台当面核对后发放（管理后台首页“待前台确认的登记”）。`;
  await raiseAlert(tx, { storeId: args.storeId, kind: 'gift_paused', message: text, now: args.now });
  for (const manager of await storeManagers(tx, args.storeId)) {
    await messageStaff(tx, { storeId: args.storeId, staffId: manager.id, dedupeKey: `gift-paused:${manager.id}:${args.now.toISOString()}`, kind: 'gift_paused', text, now: args.now });
  }
}
