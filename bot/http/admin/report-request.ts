import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { ReportRequest } from '../../../core/reports/build-report.ts';
import { defaultView, ReportAccessError, resolveView, type ResolvedView } from '../../../core/reports/report-access.ts';
import { PeriodError } from '../../../core/reports/report-period.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { parseReportQuery, periodErrorText, type ReportQuery } from './report-query.ts';

export const REPORTS_TITLE = '经营报表';

/** The period and view a report page was asked for, resolved for the signed-in staff member. */
export interface ReportRequestContext {
  staff: StaffPrincipal;
  query: ReportQuery;
  resolved: ResolvedView;
}

/**
 * Reads and checks the report parameters for the signed-in staff member; answers 400 (a period
 * it cannot read) or 403 (a view that is not theirs) itself and returns null then.
 */
export async function reportRequest(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, source: unknown): Promise<ReportRequestContext | null> {
  const staff = await requireStaff(ctx, request, reply);
  if (!staff) return null;
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, select: { timeZone: true } });
  const refuse = (status: number, text: string) => reply.code(status).type('text/html; charset=utf-8').send(adminPage({ title: REPORTS_TITLE, staff, flash: { ok: false, text }, content: html`<p><a href="/admin/reports">返回报表</a></p>` }));
  try {
    const query = parseReportQuery(source, ctx.clock.now(), store.timeZone);
    const resolved = await resolveView(ctx.db, staff, query.view ?? defaultView(staff));
    return { staff, query, resolved };
  } catch (error) {
    if (error instanceof PeriodError) await refuse(400, periodErrorText(error));
    else if (error instanceof ReportAccessError) await refuse(403, '你没有查看这份报表的权限：销售顾问只能看自己的数据，经理看本店，管理员看本集团。');
    else throw error;
    return null;
  }
}

/** What to build for a resolved request, as of `now`. */
export const reportRequestOf = (r: ReportRequestContext, now: Date): ReportRequest => ({ stores: r.resolved.stores, period: r.query.period, consultantId: r.resolved.consultantId, now });
