import { DateTime } from 'luxon';
import type { DatabaseTx } from '../db/open-database.ts';
import { enqueueIntents } from './enqueue-intent.ts';

/** Kinds of alert the admins see. */
export type AlertKind = 'intent_dead' | 'intent_unknown' | 'intent_stalled' | 'inbound_failed' | 'calendar_job_failed' | 'channel_failed' | 'gift_paused' | 'task_unconfirmed'
  | 'sms_budget_80' | 'sms_budget_used_up';

/** The kind of the staff message that tells admins about alerts; an alert about one of these is not announced again. */
export const ALERT_NOTICE_KIND = 'outbox_alert';

/** How long an alert notice may wait (e.g. for staff hours) before it is stale. */
const NOTICE_TTL_MS = 24 * 3600_000;

/** The admins' chat notice for an alert (the first of the hour stands for the others). */
function noticeText(kind: AlertKind, message: string): string {
  if (kind === 'calendar_job_failed') return `【定时任务失败】${message}\n请到管理后台“消息队列”（/admin/outbox）查看提醒；下一次定时任务照常运行。`;
  if (kind === 'channel_failed') return `【渠道已停止】${message}`;
  if (kind === 'gift_paused' || kind === 'task_unconfirmed' || kind === 'sms_budget_80' || kind === 'sms_budget_used_up') return message;
  if (kind === 'intent_stalled') return `【消息发送停滞】有消息长时间排队未发出，例如：${message}\n请到管理后台“消息队列”（/admin/outbox）查看。`;
  return `【消息发送异常】有消息未能确认送达，例如：${message}\n请到管理后台“消息队列”（/admin/outbox）查看并处理。`;
}

/**
 * Raises an alert for the store's admins, in the caller's transaction: a row on the outbox admin
 * page, and a chat message to each active admin — at most one per admin per hour, however many
 * messages fail in it, so a platform outage does not flood them. `announce: false` for an
 * alert about an alert notice (no loops).
 */
export async function raiseAlert(tx: DatabaseTx, alert: { storeId: string; kind: AlertKind; message: string; intentId?: string; now: Date; announce?: boolean }): Promise<void> {
  await tx.alert.create({
    data: { storeId: alert.storeId, kind: alert.kind, message: alert.message, intentId: alert.intentId ?? null, createdAt: alert.now },
  });
  if (alert.announce === false) return;
  const hour = DateTime.fromJSDate(alert.now, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH");
  const admins = await tx.staff.findMany({ where: { storeId: alert.storeId, role: 'ADMIN', active: true }, select: { id: true } });
  await enqueueIntents(tx, admins.map((admin) => ({
    dedupeKey: `alert-notice:${admin.id}:${hour}`, storeId: alert.storeId, staffId: admin.id, purpose: 'STAFF' as const, kind: ALERT_NOTICE_KIND,
    message: { kind: 'text' as const, text: noticeText(alert.kind, alert.message) },
    sendAt: alert.now, expiresAt: new Date(alert.now.getTime() + NOTICE_TTL_MS),
  })));
}
