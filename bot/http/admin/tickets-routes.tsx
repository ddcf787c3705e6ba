import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { normalizePhone } from '../../../core/customers/phone.ts';
import { readTicket, readTicketList } from '../../../core/surveys/ticket-desk.ts';
import {
  closeTicket,
  openComplaintTicket,
  setTicketCategory,
  takeTicket,
  TicketError,
  type TicketErrorCode,
} from '../../../core/surveys/tickets.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { CLOSE_LABELS, TicketListPage, TicketPage, type Refusal } from './tickets-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { readFields, text } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';

/** What to fix, in Chinese, per reason core gave. */
const ERROR_TEXT: Record<TicketErrorCode, string> = {
  ticket_not_found: '没有找到这个工单。',
  ticket_closed: '该工单已经结案，不能再接单或结案。',
  ticket_taken: '该工单已被他人接单，请刷新页面查看负责人。',
  staff_invalid: '当前登录的员工不是本店在职员工，不能处理工单。',
  store_not_found: '没有找到门店。',
  customer_not_found: '没有找到这位客户。',
  consultant_invalid: '销售顾问不是本店员工。',
  survey_invalid: '回访问卷不属于这位客户或本店。',
  score_invalid: '评分必须是 1–10 的整数。',
  score_not_low: '评分 8 分及以上不需要召回。',
  description_missing: '请填写投诉内容。',
  source_missing: '请填写投诉来源。',
  text_too_long: '内容不能超过 2000 个字。',
  category_invalid: '请选择投诉类别。',
  root_cause_missing: '请填写根本原因。',
  action_missing: '请填写处理措施。',
  outcome_missing: '请填写客户反馈结果。',
  satisfaction_invalid: '最终满意度必须是 1–10 的整数（可以不填）。',
};
const MISSING_TEXT: Record<string, string> = {
  rootCause: ERROR_TEXT.root_cause_missing,
  actionTaken: ERROR_TEXT.action_missing,
  outcome: ERROR_TEXT.outcome_missing,
};
/** How a complaint reached the store when staff record it by hand. */
const SOURCES: Record<string, string> = { phone: '电话', walk_in: '到店' };

/** Per field, what to fix: every missing required field at once, otherwise the one core named. */
function refusalFields(error: TicketError): Record<string, string> {
  if (error.code === 'root_cause_missing' || error.code === 'action_missing' || error.code === 'outcome_missing') {
    return Object.fromEntries(Object.keys(error.fields).map((f) => [f, MISSING_TEXT[f] ?? ERROR_TEXT[error.code]]));
  }
  const label = CLOSE_LABELS[error.field];
  return {
    [error.field]:
      label && error.code === 'text_too_long' ? `${label}：${ERROR_TEXT[error.code]}` : ERROR_TEXT[error.code],
  };
}

/** A close form's text areas: kept a little over core's limit, so an over-long text is refused by core, not cut. */
const NOTE = { multiline: true };
const closeForm = z.object({
  rootCause: text(4000, NOTE),
  actionTaken: text(4000, NOTE),
  outcome: text(4000, NOTE),
  finalSatisfaction: text(10),
  reSurvey: text(10),
});
const complaintForm = z.object({
  phone: text(20),
  source: text(20),
  category: text(30),
  description: text(4000, NOTE),
});
const categoryForm = z.object({ category: text(30) });

/**
 * `/admin/tickets` (the desk, managers and admins): the store's recalls and complaints; record a
 * complaint that came by phone or in person, take, categorize and close a ticket, with its audit
 * trail. A done action redirects to the ticket.
 */
export const ticketsRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const handle = { preHandler: requirePermission(ctx, 'ticket.handle') };
  const ticketPage = (id: string) => `/admin/tickets/${encodeURIComponent(id)}`;

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    refused?: { flash: Flash; refusal?: Refusal },
  ) => {
    const staff = signedIn(request);
    const list = await readTicketList(ctx.db, ctx.clock, staff.storeId);
    const flash = refused?.flash ?? takeFlash(request, reply);
    return sendPage(
      reply,
      status,
      <TicketListPage staff={staff} list={list} flash={flash} refusal={refused?.refusal ?? null} />,
    );
  };
  /** The ticket's page, or 404 when the store has no such ticket. */
  const showTicket = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status: number,
    refused?: { flash: Flash; refusal?: Refusal },
  ) => {
    const staff = signedIn(request);
    const detail = await readTicket(ctx.db, ctx.clock, staff.storeId, id);
    if (!detail) return showList(request, reply, 404, { flash: { ok: false, text: '没有找到本店的这个工单。' } });
    const flash = refused?.flash ?? takeFlash(request, reply);
    return sendPage(
      reply,
      status,
      <TicketPage staff={staff} detail={detail} flash={flash} refusal={refused?.refusal ?? null} />,
    );
  };
  /** The store's ticket of the URL, or null (the caller answers 404). */
  const findTicket = (request: FastifyRequest<{ Params: { id: string } }>) =>
    ctx.db.ticket.findFirst({
      where: { id: request.params.id, storeId: signedIn(request).storeId },
      select: { id: true, reference: true, customerId: true },
    });

  app.get('/admin/tickets', handle, async (request, reply) => showList(request, reply, 200));

  app.get<{ Params: { id: string } }>('/admin/tickets/:id', handle, async (request, reply) =>
    showTicket(request, reply, request.params.id, 200),
  );

  app.post('/admin/tickets', handle, async (request, reply) => {
    const staff = signedIn(request);
    const form = readFields(complaintForm, request.body);
    const refuse = (field: string, text: string) =>
      showList(request, reply, 400, {
        flash: { ok: false, text },
        refusal: { typed: form.typed, errors: { [field]: text } },
      });
    if (!form.ok) return refuse(Object.keys(form.errors)[0] ?? 'description', Object.values(form.errors).join(''));
    const draft = form.data;
    const source = SOURCES[draft.source];
    if (!source) return refuse('source', '请选择投诉来源（电话或到店）。');
    let customerId: string | null = null;
    if (draft.phone !== '') {
      const phone = normalizePhone(draft.phone);
      if (!phone) return refuse('phone', '手机号格式不对：请填写 11 位手机号，或不填。');
      const customer = await ctx.db.customer.findFirst({
        where: {
          phone,
          erasedAt: null,
          OR: [{ leads: { some: { storeId: staff.storeId } } }, { visits: { some: { storeId: staff.storeId } } }],
        },
        select: { id: true },
      });
      if (!customer) return refuse('phone', '本店没有这个手机号的客户。可以不填手机号登记，把联系方式写在投诉内容里。');
      customerId = customer.id;
    }
    try {
      const ticket = await ctx.db.$transaction((tx) =>
        openComplaintTicket(tx, ctx.clock, {
          storeId: staff.storeId,
          customerId,
          description: draft.description,
          source,
          category: draft.category || null,
          openedByStaffId: staff.staffId,
        }),
      );
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId }, 'complaint recorded by staff');
      return redirectWithFlash(reply, ticketPage(ticket.id), {
        ok: true,
        text: `已登记投诉，工单 ${ticket.reference}：请在 30 分钟内接单处理。`,
      });
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return refuse(error.field, ERROR_TEXT[error.code]);
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/take', handle, async (request, reply) => {
    const staff = signedIn(request);
    const ticket = await findTicket(request);
    if (!ticket) return showTicket(request, reply, request.params.id, 404);
    try {
      await takeTicket(ctx.db, ctx.clock, ticket.id, staff.staffId);
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId }, 'ticket taken');
      return redirectWithFlash(reply, ticketPage(ticket.id), {
        ok: true,
        text: `已接单：工单 ${ticket.reference} 由你负责，请尽快联系客户。`,
      });
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return showTicket(request, reply, ticket.id, 400, {
        flash: { ok: false, text: `未能接单。${ERROR_TEXT[error.code]}` },
      });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/category', handle, async (request, reply) => {
    const staff = signedIn(request);
    const ticket = await findTicket(request);
    if (!ticket) return showTicket(request, reply, request.params.id, 404);
    const form = readFields(categoryForm, request.body);
    try {
      await setTicketCategory(ctx.db, ctx.clock, ticket.id, staff.staffId, form.ok ? form.data.category : '');
      return redirectWithFlash(reply, ticketPage(ticket.id), { ok: true, text: '已保存投诉类别。' });
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return showTicket(request, reply, ticket.id, 400, { flash: { ok: false, text: ERROR_TEXT[error.code] } });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tickets/:id/close', handle, async (request, reply) => {
    const staff = signedIn(request);
    const ticket = await findTicket(request);
    if (!ticket) return showTicket(request, reply, request.params.id, 404);
    const form = readFields(closeForm, request.body);
    const draft = form.ok
      ? form.data
      : { rootCause: '', actionTaken: '', outcome: '', finalSatisfaction: '', reSurvey: '' };
    const reSurvey = draft.reSurvey !== '';
    const satisfaction =
      draft.finalSatisfaction === ''
        ? null
        : /^\d{1,2}$/.test(draft.finalSatisfaction)
          ? Number(draft.finalSatisfaction)
          : Number.NaN;
    try {
      const { rootCause, actionTaken, outcome } = draft;
      await closeTicket(ctx.db, ctx.clock, ticket.id, staff.staffId, {
        rootCause,
        actionTaken,
        outcome,
        finalSatisfaction: satisfaction,
        reSurvey,
      });
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId, reSurvey }, 'ticket closed');
      const text = `工单 ${ticket.reference} 已结案。${reSurvey && ticket.customerId ? '已安排明天重新回访客户。' : ''}`;
      return redirectWithFlash(reply, ticketPage(ticket.id), { ok: true, text });
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      const errors = refusalFields(error);
      const text = `工单未结案。${[...new Set(Object.values(errors))].join('')}`;
      return showTicket(request, reply, ticket.id, 400, {
        flash: { ok: false, text },
        refusal: { typed: form.typed, errors },
      });
    }
  });
};
