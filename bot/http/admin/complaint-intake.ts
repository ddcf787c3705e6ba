import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { normalizePhone } from '../../../core/customers/phone.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { TICKET_CATEGORIES, ticketCategoryLabel } from '../../../core/surveys/ticket-categories.ts';
import { openComplaintTicket, TicketError } from '../../../core/surveys/tickets.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';

/** How a complaint reached the store when staff record it by hand. */
const SOURCES: Record<string, string> = { phone: '电话', walk_in: '到店' };

/** The category choices of a select, `selected` preselected (none: "choose"). */
export function categoryOptions(selected: string): SafeHtml {
  return html`<option value=""${selected === '' ? html` selected` : ''}>请选择</option>${TICKET_CATEGORIES.map((c) => html`<option value="${c}"${c === selected ? html` selected` : ''}>${ticketCategoryLabel(c)}</option>`)}`;
}

interface IntakePages {
  errorText(error: TicketError): string;
  refused(staff: StaffPrincipal, text: string, draft: Record<string, string>): Promise<string>;
  opened(staff: StaffPrincipal, ticketId: string, text: string): Promise<string>;
}

/**
 * `POST /admin/tickets`: staff record a complaint that came by phone or in person (投诉登记). The
 * number, when given, must be a customer of the store (their ticket is linked to them); it opens a
 * complaint ticket exactly as a chat complaint does (30 minutes to take it, customer relations
 * alerted), audited with who recorded it.
 */
export function registerComplaintIntake(app: FastifyInstance, ctx: AppContext, guard: (request: FastifyRequest, reply: FastifyReply) => Promise<StaffPrincipal | null>, pages: IntakePages): void {
  app.post('/admin/tickets', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const body = request.body;
    const draft = {
      phone: formText(body, 'phone', { max: 20 }), source: formText(body, 'source', { max: 20 }),
      category: formText(body, 'category', { max: 30 }), description: formText(body, 'description', { max: 4000, multiline: true }),
    };
    const refuse = async (text: string) => reply.code(400).type('text/html; charset=utf-8').send(await pages.refused(staff, text, draft));
    const source = SOURCES[draft.source];
    if (!source) return refuse('请选择投诉来源（电话或到店）。');
    let customerId: string | null = null;
    if (draft.phone !== '') {
      const phone = normalizePhone(draft.phone);
      if (!phone) return refuse('手机号格式不对：请填写 11 位手机号，或不填。');
      const customer = await ctx.db.customer.findFirst({ where: { phone, erasedAt: null, OR: [{ leads: { some: { storeId: staff.storeId } } }, { visits: { some: { storeId: staff.storeId } } }] }, select: { id: true } });
      if (!customer) return refuse('本店没有这个手机号的客户。可以不填手机号登记，把联系方式写在投诉内容里。');
      customerId = customer.id;
    }
    try {
      const ticket = await ctx.db.$transaction((tx) => openComplaintTicket(tx, ctx.clock, {
        storeId: staff.storeId, customerId, description: draft.description, source, category: draft.category || null, openedByStaffId: staff.staffId,
      }));
      ctx.logger.info({ ticketId: ticket.id, staffId: staff.staffId }, 'complaint recorded by staff');
      return reply.type('text/html; charset=utf-8').send(await pages.opened(staff, ticket.id, `已登记投诉，工单 ${ticket.reference}：请在 30 分钟内接单处理。`));
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return refuse(pages.errorText(error));
    }
  });
}
