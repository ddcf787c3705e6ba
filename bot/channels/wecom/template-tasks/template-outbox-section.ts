import type { Database } from '../../../../core/db/open-database.ts';
import { formatTime as when } from '../../../http/admin/admin-layout.ts';
import { html, type SafeHtml } from '../../../http/html.ts';
import type { TemplateState } from './template-records.ts';

/** How long the outbox page keeps showing a template task. */
const SHOWN_FOR_MS = 7 * 24 * 3_600_000;

const STATE_LABELS: Record<TemplateState, string> = {
  CREATING: '正在创建群发', WAITING: '等待顾问确认', CONFIRMED: '已确认发送', FAILED: '未能发送，需人工转达', LAPSED: '超过 7 天未确认',
};

/**
 * The outbox page's part for one-tap WeCom sends: each template task of the last 7 days, whether
 * the consultant confirmed it (and when WeCom says it reached the customer), and whether it was
 * chased and reported.
 */
export async function templateOutboxSection(db: Database, storeId: string, timeZone: string, now: Date): Promise<SafeHtml> {
  const rows = await db.wecomTemplateTask.findMany({
    where: { storeId, createdAt: { gte: new Date(now.getTime() - SHOWN_FOR_MS) } },
    orderBy: [{ createdAt: 'desc' }, { staffTaskId: 'asc' }], take: 200,
    include: { staffTask: { select: { kind: true, customer: { select: { name: true } }, staff: { select: { name: true } } } } },
  });
  const items = rows.map((row) => {
    const state = row.state as TemplateState;
    const notes = [
      row.confirmedAt ? `${when(row.confirmedAt, timeZone)} 送达` : '',
      row.chasedAt ? `${when(row.chasedAt, timeZone)} 已催办` : '',
      row.reportedAt ? `${when(row.reportedAt, timeZone)} 已上报经理` : '',
      state === 'FAILED' && row.error ? row.error : '',
    ].filter(Boolean).join(' · ');
    return html`<li data-template-task="${row.staffTaskId}" data-state="${state}"><strong>${STATE_LABELS[state] ?? state}</strong> · ${row.staffTask.customer?.name ?? '客户'} · 顾问 ${row.staffTask.staff?.name ?? row.sender} · ${row.staffTask.kind.replace(/^forward:/, '')}
<br><small>${when(row.createdAt, timeZone)} 创建${notes ? ` · ${notes}` : ''}</small></li>`;
  });
  return html`<h2>企业微信一键发送（需顾问确认）</h2>
${items.length === 0 ? html`<p>最近 7 天没有通过企业微信群发转达的消息。</p>` : html`<ul class="template-tasks">${items}</ul>`}`;
}
