import type { ProblemIntent } from '../../../core/outbox/outbox-admin.ts';
import { INTENT_STATES } from '../../../core/outbox/outbox-admin.ts';
import type { OutboxOverview } from '../../../core/outbox/outbox-overview.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import type { SafeHtml } from '../html.ts';
import { ConfirmButton } from './ui/confirm-button.tsx';
import { EmptyState } from './ui/empty-state.tsx';
import type { Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import { Layout } from './ui/layout.tsx';
import { listHref, type ListQuery } from './ui/list-query.ts';
import { Table, type Column } from './ui/table.tsx';
import { TrustedHtml } from './ui/trusted-html.tsx';

export const OUTBOX_TITLE = '消息发送队列';

const STATE_LABELS: Record<(typeof INTENT_STATES)[number], string> = {
  PENDING: '等待发送',
  SENDING: '发送中',
  SENT: '已发送',
  FAILED_RETRYING: '失败重试中',
  DEAD: '发送失败',
  EXPIRED: '已过期',
  CANCELLED: '已取消',
  UNKNOWN: '结果未知',
};

function problemColumns(timeZone: string): Column<ProblemIntent>[] {
  return [
    {
      label: '类型',
      sortKey: 'kind',
      cell: (p) => (
        <>
          {p.kind}
          <br />
          <small>{p.dedupeKey}</small>
        </>
      ),
    },
    { label: '状态', sortKey: 'state', cell: (p) => STATE_LABELS[p.state] },
    { label: '渠道', cell: (p) => p.channel ?? '—' },
    { label: '尝试', sortKey: 'attempts', cell: (p) => p.attempts },
    { label: '原因', cell: (p) => p.lastError ?? '' },
    { label: '时间', sortKey: 'updatedAt', cell: (p) => formatTime(p.updatedAt, timeZone) },
    {
      label: '操作',
      cell: (p) => (
        <div class="actions">
          <form method="post" action={`/admin/outbox/${p.id}/retry`}>
            <button type="submit">{p.state === 'UNKNOWN' ? '重新发送（可能重复）' : '重新发送'}</button>
          </form>
          <ConfirmButton
            action={`/admin/outbox/${p.id}/cancel`}
            label="取消"
            question="取消后这条消息不会再发送给客户。"
            confirm="确认取消发送"
          />
        </div>
      ),
    },
  ];
}

function Tasks({ tasks, timeZone }: { tasks: OutboxOverview['tasks']; timeZone: string }) {
  if (tasks.length === 0) return <EmptyState text="没有需要人工转达的消息。" />;
  return (
    <ul class="plain tasks">
      {tasks.map((task) => (
        <li data-task={task.id}>
          <p class="pre task-text">{task.text}</p>
          {task.reason ? (
            <p>
              <small>未能自动发送：{task.reason}</small>
            </p>
          ) : null}
          <small>
            {task.staff?.name ?? '未分配顾问'} · {formatTime(task.createdAt, timeZone)}
          </small>
          <form method="post" action={`/admin/tasks/${task.id}/done`}>
            <button type="submit">已转达</button>
          </form>
        </li>
      ))}
    </ul>
  );
}

interface OutboxPageProps {
  staff: StaffPrincipal;
  overview: OutboxOverview;
  list: ListQuery;
  pageSize: number;
  /** Each running channel's own part of the page (SMS budget, WeCom template tasks). */
  channelSections: SafeHtml[];
  flash: Flash | null;
}

/**
 * `/admin/outbox`: counts by state, the messages that need someone (retry, cancel), tasks to forward by hand, the
 * channels' parts, open alerts.
 */
export function OutboxPage({ staff, overview, list, pageSize, channelSections, flash }: OutboxPageProps) {
  const { timeZone } = overview;
  return (
    <Layout title={OUTBOX_TITLE} staff={staff} flash={flash} current="/admin/outbox">
      <div class="stats counts">
        {INTENT_STATES.map((state) => (
          <div class="stat" data-state={state}>
            <strong>{overview.counts[state]}</strong>
            <span>{STATE_LABELS[state]}</span>
          </div>
        ))}
      </div>
      <h2>需要处理的消息</h2>
      {overview.problemTotal === 0 ? (
        <EmptyState text="没有发送失败或结果未知的消息。" />
      ) : (
        <Table
          class="problems"
          columns={problemColumns(timeZone)}
          rows={overview.problems}
          rowAttributes={(p) => ({ 'data-intent': p.id })}
          list={{
            query: list,
            page: { pageSize, total: overview.problemTotal },
            href: (q) => listHref('/admin/outbox', {}, q),
          }}
        />
      )}
      <h2>待人工转达的消息</h2>
      <Tasks tasks={overview.tasks} timeZone={timeZone} />
      {channelSections.map((markup) => (
        <TrustedHtml markup={markup} />
      ))}
      <h2>未处理的提醒</h2>
      {overview.alerts.length === 0 ? (
        <EmptyState text="没有未处理的提醒。" />
      ) : (
        <ul class="plain alerts">
          {overview.alerts.map((a) => (
            <li>
              {formatTime(a.createdAt, timeZone)} {a.message}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
