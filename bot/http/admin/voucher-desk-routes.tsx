import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { confirmPendingRegistration } from '../../../core/registration/desk-confirmation.ts';
import { formatVoucherCode } from '../../../core/registration/voucher-code.ts';
import { readVoucherDesk } from '../../../core/registration/voucher-desk-view.ts';
import { redeemVoucher } from '../../../core/registration/voucher-desk.ts';
import { countWalkInParty, WalkInError, withdrawWalkInParty } from '../../../core/registration/walk-in-parties.ts';
import { newToken } from '../../../core/staff/staff-sessions.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import { readFields, text } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';
import { VoucherDeskPage } from './voucher-desk-view.tsx';

const searchQuery = z.object({ q: text(40) });
const redeemForm = z.object({ code: text(40) });
const walkInForm = z.object({ requestKey: text(64) });

const WALK_IN_REFUSALS: Record<WalkInError['code'], string> = {
  not_allowed: '只有本店员工可以记录进店组数。',
  key_invalid: '表单已失效，请刷新页面后再点。',
  nothing_to_withdraw: '没有可撤销的记录：只能撤销你自己 10 分钟内的最后一次计数。',
};

/**
 * The front desk (`/admin`, `/admin/vouchers?q=`): find a voucher by code or phone and redeem it
 * once; count walk-in parties; confirm in person the registrations held for the desk. Every
 * POST that succeeds redirects to the desk (post/redirect/get); a refusal shows the desk with
 * what went wrong.
 */
export const voucherDeskRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const desk = { preHandler: requirePermission(ctx, 'voucher.desk') };

  const show = async (request: FastifyRequest, reply: FastifyReply, status: number, query: string, refusal?: Flash) => {
    const staff = signedIn(request);
    const view = await readVoucherDesk(ctx.db, ctx.clock, staff, query);
    return sendPage(
      reply,
      status,
      <VoucherDeskPage
        staff={staff}
        view={view}
        requestKey={newToken()}
        flash={refusal ?? takeFlash(request, reply)}
      />,
    );
  };

  app.get('/admin', desk, async (request, reply) => show(request, reply, 200, ''));

  app.get('/admin/vouchers', desk, async (request, reply) => {
    const search = readFields(searchQuery, request.query);
    return show(request, reply, 200, search.ok ? search.data.q : '');
  });

  app.post('/admin/vouchers/redeem', desk, async (request, reply) => {
    const staff = signedIn(request);
    const form = readFields(redeemForm, request.body);
    const code = form.ok ? form.data.code : '';
    const result = await redeemVoucher(ctx.db, ctx.clock, staff.storeId, code, staff.staffId);
    switch (result.status) {
      case 'redeemed': {
        const v = result.voucher;
        ctx.logger.info({ voucher: v.code, staffId: staff.staffId }, 'voucher redeemed');
        const text = `核销成功：${formatVoucherCode(v.code)}，请将「${v.giftName}」交给${v.customerName}。`;
        return redirectWithFlash(reply, `/admin/vouchers?q=${encodeURIComponent(v.code)}`, { ok: true, text });
      }
      case 'already_redeemed': {
        const v = result.voucher;
        const when = v.redeemedAt ? formatTime(v.redeemedAt, v.storeTimeZone) : '';
        return show(request, reply, 409, v.code, {
          ok: false,
          text: `不能重复核销：该券已于 ${when} 由 ${v.redeemedBy ?? '未知'} 核销。`,
        });
      }
      case 'not_found':
        return show(request, reply, 404, code, { ok: false, text: '没有找到这个券码，请核对后重试。' });
      default:
        return result satisfies never;
    }
  });

  app.post<{ Params: { id: string } }>(
    '/admin/registrations/:id/confirm',
    { preHandler: requirePermission(ctx, 'registration.confirm') },
    async (request, reply) => {
      const staff = signedIn(request);
      const pendingId = request.params.id.slice(0, 64);
      const result = await confirmPendingRegistration(ctx.db, ctx.clock, {
        storeId: staff.storeId,
        pendingId,
        staffId: staff.staffId,
      });
      if (result.status === 'not_found')
        return show(request, reply, 404, '', { ok: false, text: '没有找到这条待确认的登记。' });
      if (result.status === 'already_resolved')
        return show(request, reply, 409, '', { ok: false, text: '这条登记已经确认过了。' });
      ctx.logger.info({ staffId: staff.staffId }, 'registration confirmed at the desk');
      if (!result.voucherCode)
        return redirectWithFlash(reply, '/admin', {
          ok: true,
          text: `已确认：${result.name} 的登记已完成；礼品已送完（或此前已领取），没有新的券码。`,
        });
      const text = `已确认：${result.name} 的礼品券码 ${formatVoucherCode(result.voucherCode)}，请核销后将「${result.giftName}」交给顾客。`;
      return redirectWithFlash(reply, `/admin/vouchers?q=${encodeURIComponent(result.voucherCode)}`, {
        ok: true,
        text,
      });
    },
  );

  /** Runs a walk-in action: its outcome as a flash on the desk, or the desk with the refusal. */
  const walkIn = async (request: FastifyRequest, reply: FastifyReply, run: () => Promise<string>) => {
    try {
      return redirectWithFlash(reply, '/admin', { ok: true, text: await run() });
    } catch (error) {
      if (!(error instanceof WalkInError)) throw error;
      return show(request, reply, error.code === 'not_allowed' ? 403 : 400, '', {
        ok: false,
        text: WALK_IN_REFUSALS[error.code],
      });
    }
  };

  app.post('/admin/walk-ins', desk, async (request, reply) => {
    const staff = signedIn(request);
    const form = readFields(walkInForm, request.body);
    const key = form.ok ? form.data.requestKey : '';
    return walkIn(request, reply, async () =>
      (await countWalkInParty(ctx.db, ctx.clock, staff, key)) ? '已记录 1 组进店客户。' : '这次点击已经记录过了。',
    );
  });

  app.post('/admin/walk-ins/withdraw', desk, async (request, reply) =>
    walkIn(request, reply, async () => {
      await withdrawWalkInParty(ctx.db, ctx.clock, signedIn(request));
      return '已撤销你的上一次计数。';
    }),
  );
};
