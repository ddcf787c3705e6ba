import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { BirthdayInvalidError, setCustomerBirthday } from '../../../core/customers/set-birthday.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';

/** The birthday form of a customer on the orders page (birthdays drive the greeting journey). */
export function birthdayForm(customer: { id: string; birthday: string | null; birthdayCalendar: string }): SafeHtml {
  return html`<form class="birthday" method="post" action="/admin/customers/${customer.id}/birthday">
<label>生日<input type="date" name="birthday" value="${customer.birthday ?? ''}"></label>
<label>按<select name="calendar"><option value="GREGORIAN"${customer.birthdayCalendar === 'LUNAR' ? '' : html` selected`}>公历</option><option value="LUNAR"${customer.birthdayCalendar === 'LUNAR' ? html` selected` : ''}>农历</option></select>过生日</label>
<button type="submit">保存生日</button></form>`;
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<StaffPrincipal | null>;
type Render = (reply: FastifyReply, staff: StaffPrincipal, status: number, customerId: string, flash: { ok: boolean; text: string }) => Promise<FastifyReply>;

/** `POST /admin/customers/:id/birthday`: saves or clears a customer's birthday, audited. */
export function registerCustomerBirthday(app: FastifyInstance, ctx: AppContext, guard: Guard, render: Render): void {
  app.post<{ Params: { id: string } }>('/admin/customers/:id/birthday', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const birthday = formText(request.body, 'birthday', { max: 40 }) || null;
    const calendar = formText(request.body, 'calendar', { max: 20 }) === 'LUNAR' ? 'LUNAR' : 'GREGORIAN';
    try {
      await setCustomerBirthday(ctx.db, ctx.clock, { storeId: staff.storeId, staffId: staff.staffId, role: staff.role }, request.params.id, birthday, calendar);
      return render(reply, staff, 200, request.params.id, { ok: true, text: birthday ? `已保存生日：${birthday}（${calendar === 'LUNAR' ? '农历' : '公历'}）。` : '已清除生日。' });
    } catch (error) {
      if (!(error instanceof BirthdayInvalidError)) throw error;
      return render(reply, staff, 400, request.params.id, { ok: false, text: `生日未保存：${error.message}` });
    }
  });
}
