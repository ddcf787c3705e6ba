// Whether the consultants confirmed their templates (externalcontact/get_groupmsg_send_result),
// and what happens while they have not. The timing rule, in the store's time zone:
// - a template still unsent 4 h after the consultant was asked is chased once (an app message);
// - still unsent 4 h after that reminder, the store's managers are told once (and the outbox page
//   shows an alert, resolved if it is sent after all);
// - reminders and reports are decided only inside the store's staff hours, so neither lands at
//   night and the consultant always has working time between the two (asked at 17:00 with staff
//   hours 09:00–18:00: chased at 09:00 the next morning, reported from 13:00);
// - after 7 days it is no longer polled (LAPSED); the task stays open on the outbox page.
import { isInsideWindow, type DailyWindow } from '../../../../core/outbox/send-window.ts';
import type { TemplateTaskDeps } from './template-create.ts';
import { loadTemplateRows, recordChased, recordChecked, recordConfirmed, recordFailed, recordLapsed, recordReported, type TemplateRow } from './template-records.ts';
import { UNDELIVERED_REASONS } from './template-texts.ts';

const HOUR = 3_600_000;
export const CHASE_AFTER_MS = 4 * HOUR;
export const REPORT_AFTER_MS = 4 * HOUR;
export const LAPSE_AFTER_MS = 7 * 24 * HOUR;
const BATCH = 200;

/** The store's hours and zone, which decide when reminders and reports may go. */
export interface StaffHours {
  timeZone: string;
  staffHours: DailyWindow;
}

/** Looks at every waiting template of the store once. A failing look is logged and tried again next round. */
export async function checkTemplates(deps: TemplateTaskDeps, store: StaffHours): Promise<void> {
  for (const row of await loadTemplateRows(deps.db, { storeId: deps.storeId, state: 'WAITING' }, BATCH)) {
    try {
      await checkOne(deps, store, row);
    } catch (error) {
      deps.logger.warn({ err: error, staffTaskId: row.staffTaskId }, 'WeCom template result not read');
    }
  }
}

async function checkOne(deps: TemplateTaskDeps, store: StaffHours, row: TemplateRow): Promise<void> {
  const { db } = deps;
  const status = await customerStatus(deps, row);
  const now = deps.clock.now();
  if (status?.status === 1) {
    await recordConfirmed(db, row, status.sendTime ?? now, now);
    return;
  }
  if (status?.status === 2 || status?.status === 3) {
    await recordFailed(db, row, { state: 'WAITING' }, UNDELIVERED_REASONS[status.status], now);
    return;
  }
  const waited = now.getTime() - (row.waitingSince ?? row.createdAt).getTime();
  if (waited >= LAPSE_AFTER_MS) {
    await recordLapsed(db, row, now);
    return;
  }
  const mayNotify = !row.taskDone && isInsideWindow(now, store.staffHours, store.timeZone);
  if (mayNotify && !row.chasedAt && waited >= CHASE_AFTER_MS) await recordChased(db, row, now);
  else if (mayNotify && row.chasedAt && !row.reportedAt && now.getTime() - row.chasedAt.getTime() >= REPORT_AFTER_MS) await recordReported(db, row, now);
  else await recordChecked(db, row, now);
}

/** This customer's entry in the template's result (0 未发送, 1 已发送, 2 not a contact, 3 over the month's limit), paging as WeCom says. */
async function customerStatus(deps: TemplateTaskDeps, row: TemplateRow): Promise<{ status: number; sendTime?: Date } | null> {
  if (!row.msgid) return null;
  let cursor: string | undefined;
  do {
    const page = await deps.api.getGroupMsgSendResult({ msgid: row.msgid, userId: row.sender, ...(cursor ? { cursor } : {}) });
    const entry = page.send_list.find((e) => e.external_userid === row.externalUserId);
    if (entry) return { status: entry.status, ...(entry.send_time ? { sendTime: new Date(entry.send_time * 1000) } : {}) };
    cursor = page.next_cursor || undefined;
  } while (cursor);
  return null;
}
