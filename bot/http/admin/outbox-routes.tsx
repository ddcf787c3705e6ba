import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { cancelIntent, completeTask, retryIntent, type AdminActionResult } from '../../../core/outbox/outbox-admin.ts';
import { PROBLEM_SORTS, readOutboxOverview } from '../../../core/outbox/outbox-overview.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { OutboxPage } from './outbox-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { readFields } from './ui/form-schema.ts';
import { listQuerySchema } from './ui/list-query.ts';
import { sendPage } from './ui/send-page.ts';

const PAGE_SIZE = 20;
const problemList = listQuerySchema(PROBLEM_SORTS, { sort: 'updatedAt', descending: true });
const RESULT_TEXT: Record<AdminActionResult, string> = {
  done: '已处理。',
  not_found: '没有找到这条消息。',
  not_allowed: '这条消息当前的状态不能执行该操作。',
};
const ACTIONS = { retry: retryIntent, cancel: cancelIntent } as const;

/**
 * `/admin/outbox` (admins and managers): counts by state, dead and unknown messages with retry and cancel, tasks to
 * forward by hand, open alerts.
 */
export const outboxRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const manage = { preHandler: requirePermission(ctx, 'outbox.manage') };

  const show = async (request: FastifyRequest, reply: FastifyReply, status: number, refusal?: Flash) => {
    const staff = signedIn(request);
    const read = readFields(problemList, request.query);
    const list = read.ok ? read.data : { sort: 'updatedAt' as const, descending: true, page: 1 };
    const overview = await readOutboxOverview(ctx.db, staff.storeId, { ...list, pageSize: PAGE_SIZE });
    const channelSections = await Promise.all(
      ctx.channels.flatMap((channel) => channel.outboxSection?.(staff.storeId, overview.timeZone) ?? []),
    );
    const flash = refusal ?? takeFlash(request, reply);
    return sendPage(
      reply,
      status,
      <OutboxPage
        staff={staff}
        overview={overview}
        list={list}
        pageSize={PAGE_SIZE}
        channelSections={channelSections}
        flash={flash}
      />,
    );
  };

  app.get('/admin/outbox', manage, async (request, reply) => show(request, reply, 200));

  app.post<{ Params: { id: string } }>('/admin/tasks/:id/done', manage, async (request, reply) => {
    const done = await completeTask(ctx.db, ctx.clock, signedIn(request).storeId, request.params.id);
    if (!done) return show(request, reply, 404, { ok: false, text: '没有找到这条待办。' });
    return redirectWithFlash(reply, '/admin/outbox', { ok: true, text: '已标记为转达。' });
  });

  for (const [action, run] of Object.entries(ACTIONS)) {
    app.post<{ Params: { id: string } }>(`/admin/outbox/:id/${action}`, manage, async (request, reply) => {
      const staff = signedIn(request);
      const { id } = request.params;
      const result = await run(ctx.db, ctx.clock, staff.storeId, id);
      ctx.logger.info({ intentId: id, action, result, staffId: staff.staffId }, 'outbox admin action');
      if (result === 'done') return redirectWithFlash(reply, '/admin/outbox', { ok: true, text: RESULT_TEXT.done });
      return show(request, reply, result === 'not_found' ? 404 : 409, { ok: false, text: RESULT_TEXT[result] });
    });
  }
};
