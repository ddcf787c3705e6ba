import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, page, type SafeHtml } from '../html.ts';

// The pages not yet on the components (ui/) import the time format from here until they move.
export { formatTime } from './ui/format.ts';

/** An admin page: navigation, who is signed in, an optional flash message, the content (and its script). */
export function adminPage(opts: { title: string; staff: StaffPrincipal; flash?: { ok: boolean; text: string }; content: SafeHtml; script?: string }): string {
  const body = html`<main class="admin">
<nav class="admin-nav"><a href="/admin/console">工作台</a> · <a href="/admin/leads">线索</a> · <a href="/admin/customers">客户</a> · <a href="/admin">前台礼品核销</a> · <a href="/admin/outbox">消息发送队列</a> · <a href="/admin/orders">订单与交车</a> · <a href="/admin/templates">消息模板</a> · <a href="/admin/tickets">回访与投诉</a> · <a href="/admin/staff">员工</a> · <a href="/admin/qr-codes">二维码</a> · <a href="/admin/store">门店设置</a> · <a href="/admin/privacy">个人信息请求</a> · <a href="/admin/reports">经营报表</a></nav>
<h1>${opts.title}</h1>
<form class="store" method="post" action="/admin/logout">当前登录：${opts.staff.name} <button type="submit">退出登录</button></form>
${opts.flash ? html`<p class="flash ${opts.flash.ok ? 'ok' : 'err'}" role="status">${opts.flash.text}</p>` : ''}
${opts.content}
</main>`;
  return page({ title: opts.title, body, ...(opts.script ? { script: opts.script } : {}) });
}
