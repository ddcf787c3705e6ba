import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { consoleAddress, consoleMessages, linkConsole } from '../../../core/staff/console-channel.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { fieldErrors } from '../../../core/validation/field-errors.ts';
import { humanText } from '../../../core/validation/human-text.ts';
import { handleWebMessage, messageIdSchema } from '../../channels/web/web-inbound.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { Layout } from './ui/layout.tsx';
import { sendPage } from './ui/send-page.ts';

const messageBody = z.object(
  {
    text: humanText({ required: 'must not be empty: type a command, e.g. 今日', max: 1000, multiline: true }),
    messageId: messageIdSchema,
  },
  { error: 'must be a JSON object: { "text": "今日" }' },
);
const pollQuery = z.object({
  after: z.coerce.number({ error: 'must be the id of the last message seen' }).int().min(0).optional(),
});

/** The console: a chat list the script fills (staff-console.js) and the command box. */
function ConsolePage(props: { staff: StaffPrincipal; pollMs: number }) {
  return (
    <Layout title="员工工作台" staff={props.staff} script="staff-console.js" current="/admin/console">
      <div class="console" id="console" data-poll-ms={String(props.pollMs)}>
        <ol class="messages" id="messages" aria-live="polite">
          <li class="bot">输入"帮助"查看可用命令，输入"今日"查看今天要跟进的客户。</li>
        </ol>
        <form id="composer" class="composer">
          <input
            id="text"
            name="text"
            maxLength={1000}
            autocomplete="off"
            placeholder="输入命令，例如：今日"
            aria-label="命令"
          />
          <button type="submit">发送</button>
        </form>
      </div>
    </Layout>
  );
}

/**
 * `/admin/console` (every staff member): the web staff console, a chat in which staff use the same
 * commands as on Telegram and WeCom. `POST /admin/console/messages` is the web channel's staff
 * chat: it goes through core's inbound pipeline like any linked chat and answers `{ reply }`
 * (empty for a `messageId` sent before). Opening the console links it as the staff member's chat
 * channel, so staff messages with nowhere better to go (digests, nudges, alerts) arrive here:
 * `GET /admin/console/messages[?after=<id>]` polls them.
 */
export const staffConsoleRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const staffOnly = { preHandler: requirePermission(ctx, 'staff') };

  app.get('/admin/console', staffOnly, async (request, reply) => {
    const staff = signedIn(request);
    await linkConsole(ctx.db, ctx.clock, staff.staffId);
    return sendPage(reply, 200, <ConsolePage staff={staff} pollMs={ctx.config.WEB_CHAT_POLL_MS} />);
  });

  app.get('/admin/console/messages', staffOnly, async (request, reply) => {
    const query = pollQuery.safeParse(request.query ?? {});
    if (!query.success) return reply.code(400).send({ error: 'Invalid request', fields: fieldErrors(query.error) });
    const rows = await consoleMessages(ctx.db, signedIn(request).staffId, query.data.after);
    return { messages: rows.map((row) => ({ id: row.id, message: JSON.parse(row.payload) as unknown })) };
  });

  app.post('/admin/console/messages', staffOnly, async (request, reply) => {
    const staff = signedIn(request);
    const body = messageBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'Invalid request', fields: fieldErrors(body.error) });
    await linkConsole(ctx.db, ctx.clock, staff.staffId);
    const { replies } = await handleWebMessage(ctx, consoleAddress(staff.staffId), body.data.messageId, {
      kind: 'text',
      text: body.data.text,
    });
    ctx.logger.info({ staffId: staff.staffId }, 'staff command');
    return { reply: replies.map((r) => r.text).join('\n') };
  });
};
