import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Action } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { requireStaff } from './admin-auth.ts';
import { Layout } from './ui/layout.tsx';
import { mayOpen, type PagePermission } from './ui/permission.ts';
import { sendPage } from './ui/send-page.ts';

/** Who is refused, in words, per page permission (the 403 page says it). */
const REFUSED: Record<Action, string> = {
  'customer.care': '只有管理员、经理和销售顾问可以打开这个页面。',
  'lead.manage': '只有经理和管理员可以打开这个页面。',
  'voucher.desk': '只有本店员工可以打开这个页面。',
  'registration.confirm': '只有前台、经理或管理员可以当面确认登记。',
  'ticket.handle': '只有前台、经理和管理员可以处理回访与投诉。',
  'store.setup': '只有经理和管理员可以修改门店设置。',
  'outbox.manage': '只有管理员和经理可以查看消息发送队列。',
  'staff.manage': '只有经理和管理员可以管理员工。',
  'staff.handover': '只有经理和管理员可以交接客户。',
  'privacy.request': '只有前台、经理和管理员可以处理个人信息请求。',
  'privacy.export': '只有前台、经理和管理员可以导出个人信息。',
  'privacy.erase': '只有经理和管理员可以删除个人信息。',
  'customer.phone': '只有客户的顾问和经理可以查看完整手机号。',
  'visit.record': '只有本店员工可以登记到店。',
  'lead.add': '只有本店员工可以登记线索。',
  'customer.import': '只有经理和管理员可以导入客户。',
  'store.group': '只有管理员可以新增门店和切换门店。',
  'report.view': '只有管理员、经理和销售顾问可以查看经营报表。',
};

const signedInStaff = new WeakMap<FastifyRequest, StaffPrincipal>();

/** The staff member the route's guard let in (routes that declare `requirePermission` only). */
export function signedIn(request: FastifyRequest): StaffPrincipal {
  const staff = signedInStaff.get(request);
  if (!staff)
    throw new Error(
      `${request.method} ${request.routeOptions.url ?? request.url} has no requirePermission pre-handler`,
    );
  return staff;
}

/** Answers 403 with a page that names who may, and links back to the desk. */
export function refuseAccess(reply: FastifyReply, staff: StaffPrincipal, text: string): FastifyReply {
  return sendPage(
    reply,
    403,
    <Layout title="无权操作" staff={staff} flash={{ ok: false, text }}>
      <p>
        <a href="/admin">← 返回首页</a>
      </p>
    </Layout>,
  );
}

/**
 * The one guard of the admin routes, as a pre-handler: a staff session (401 without one, 403 for
 * a POST from another site), then core's rule for the page's permission (403 with a page that
 * says who may). Routes read the staff member with `signedIn(request)`.
 */
export function requirePermission(ctx: AppContext, permission: PagePermission): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return;
    if (!mayOpen(staff, permission)) {
      await refuseAccess(reply, staff, permission === 'staff' ? '请先登录。' : REFUSED[permission]);
      return;
    }
    signedInStaff.set(request, staff);
  };
}
