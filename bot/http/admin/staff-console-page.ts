import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { runStaffCommand } from '../../../core/staff/run-command.ts';
import { html } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';

const messageBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters') });

/**
 * `/admin/console`: the web staff console, a chat in which staff use the same commands as on
 * Telegram and WeCom (今日, 跟进, 定级, 订单, 交车, 帮助). `POST /admin/console/messages` answers `{ reply }`.
 */
export function registerStaffConsole(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/console', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const content = html`<div class="console" id="console">
<ol class="messages" id="messages" aria-live="polite"><li class="bot">输入"帮助"查看可用命令，输入"今日"查看今天要跟进的客户。</li></ol>
<form id="composer" class="composer"><input id="text" name="text" maxlength="1000" autocomplete="off" placeholder="输入命令，例如：今日" aria-label="命令"><button type="submit">发送</button></form>
</div>`;
    return reply.type('text/html; charset=utf-8').send(adminPage({ title: '员工工作台', staff, content, script: 'staff-console.js' }));
  });

  app.post('/admin/console/messages', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const body = messageBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'Invalid request', fields: { text: body.error.issues[0]?.message ?? 'is invalid' } });
    const result = await runStaffCommand(ctx.db, ctx.clock, { staffId: staff.staffId, storeId: staff.storeId, role: staff.role }, body.data.text);
    ctx.logger.info({ staffId: staff.staffId }, 'staff command');
    return { reply: result.reply };
  });
}
