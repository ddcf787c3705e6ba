import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { newToken } from '../../../core/staff/staff-sessions.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { countWalkInParty, walkInToday, withdrawWalkInParty, WalkInError } from '../../../core/registration/walk-in-parties.ts';
import { RETENTION_TARGET } from '../../../core/reports/reception-figures.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { requireStaff } from './admin-auth.ts';

const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

/**
 * The desk's walk-in counter: today's parties and registrations, the retention rate against its
 * 95% target, a "+1 组" button (its form carries a one-time key, so a double click counts once)
 * and "撤销上一次" for a mistaken press.
 */
export async function walkInSection(ctx: AppContext, staff: StaffPrincipal): Promise<SafeHtml> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, select: { id: true, timeZone: true } });
  const day = await walkInToday(ctx.db, store, ctx.clock.now());
  const rate = day.parties === 0 ? '—' : percent(day.registrations / day.parties);
  return html`<section class="walk-in" data-walk-in-date="${day.date}"><h2>今日进店登记</h2>
<p>进店 <strong data-walk-in-parties>${day.parties}</strong> 组 · 登记 <strong data-walk-in-registrations>${day.registrations}</strong> 人 · 留存率 <strong>${rate}</strong>（目标 ${percent(RETENTION_TARGET)}）</p>
<form class="inline" method="post" action="/admin/walk-ins"><input type="hidden" name="requestKey" value="${newToken()}"><button type="submit" class="count-party">+1 组进店</button></form>
<form class="inline" method="post" action="/admin/walk-ins/withdraw"><button type="submit" class="secondary">撤销上一次（10 分钟内）</button></form>
<p class="hint">每有一组客户（一起进店的一家人或朋友算一组）进店，点一次“+1 组进店”。</p></section>`;
}

const ERROR_TEXT: Record<WalkInError['code'], string> = {
  not_allowed: '只有本店员工可以记录进店组数。',
  key_invalid: '表单已失效，请刷新页面后再点。',
  nothing_to_withdraw: '没有可撤销的记录：只能撤销你自己 10 分钟内的最后一次计数。',
};

/** `POST /admin/walk-ins` (+1 party) and `POST /admin/walk-ins/withdraw`; both answer with the desk page. */
export function registerWalkInCounter(app: FastifyInstance, ctx: AppContext, deskPage: (staff: StaffPrincipal, flash: { ok: boolean; text: string }) => Promise<string>): void {
  const answer = async (staff: StaffPrincipal, run: () => Promise<string>) => {
    try {
      return { status: 200, body: await deskPage(staff, { ok: true, text: await run() }) };
    } catch (error) {
      if (!(error instanceof WalkInError)) throw error;
      return { status: error.code === 'not_allowed' ? 403 : 400, body: await deskPage(staff, { ok: false, text: ERROR_TEXT[error.code] }) };
    }
  };
  app.post('/admin/walk-ins', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const key = formText(request.body, 'requestKey', { max: 64 });
    const { status, body } = await answer(staff, async () => ((await countWalkInParty(ctx.db, ctx.clock, staff, key)) ? '已记录 1 组进店客户。' : '这次点击已经记录过了。'));
    return reply.code(status).type('text/html; charset=utf-8').send(body);
  });
  app.post('/admin/walk-ins/withdraw', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const { status, body } = await answer(staff, async () => {
      await withdrawWalkInParty(ctx.db, ctx.clock, staff);
      return '已撤销你的上一次计数。';
    });
    return reply.code(status).type('text/html; charset=utf-8').send(body);
  });
}
