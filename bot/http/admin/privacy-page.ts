import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { customersOfStore } from '../../../core/customers/customers-of-store.ts';
import { maskPhone, normalizePhone } from '../../../core/customers/phone.ts';
import {
  DATA_REQUEST_KINDS, DataRequestError, eraseForRequest, exportForRequest, openDataRequests, recordDeskRequest,
  type DataRequestErrorCode, type DataRequestKind, type OpenDataRequest,
} from '../../../core/consent/data-requests.ts';
import { retentionDryRun } from '../../../core/consent/retention.ts';
import { may } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';

const TITLE = '个人信息请求';
type Flash = { ok: boolean; text: string };

const KIND_LABELS: Record<DataRequestKind, string> = { access: '查询/复制', erasure: '删除' };
const VIA_LABELS: Record<string, string> = { chat: '聊天（已验证身份）', desk: '前台（当面核实）' };

/** What to do, per reason core refused. */
const ERROR_TEXT: Record<DataRequestErrorCode, string> = {
  identity_not_checked: '请先当面核实本人（出示该手机号的手机，例如拨打该号码看是否响铃），并勾选"已当面核实本人"。',
  customer_not_found: '没有找到本店的这位客户（或其信息已删除）。',
  request_not_found: '没有找到这条请求。',
  already_done: '这条请求已经处理完毕。',
  not_allowed: '您没有权限执行这个操作：删除只能由经理或管理员执行。',
  wrong_kind: '这条请求不是删除请求：请客户另行提出删除请求。',
};

const store = (staff: StaffPrincipal) => ({ storeId: staff.storeId, ownerStaffId: null });

function requestRow(r: OpenDataRequest, staff: StaffPrincipal, timeZone: string): SafeHtml {
  const exports = may(staff, 'privacy.export', store(staff))
    ? html`<form method="post" action="/admin/privacy/requests/${r.id}/export.json"><button type="submit">下载 JSON</button></form>
<form method="post" action="/admin/privacy/requests/${r.id}/export.csv"><button type="submit">下载 CSV</button></form>`
    : '';
  const erase = r.kind === 'erasure' && may(staff, 'privacy.erase', store(staff))
    ? html`<form method="post" action="/admin/privacy/requests/${r.id}/erase"><label><input type="checkbox" name="confirm" value="yes" required>删除后无法恢复，我已确认</label><button type="submit">删除该客户的个人信息</button></form>`
    : '';
  return html`<tr data-request="${r.id}"><td>${r.reference}</td><td>${KIND_LABELS[r.kind]}</td><td>${VIA_LABELS[r.via] ?? r.via}</td><td>${formatTime(r.createdAt, timeZone)}</td><td>${r.customerName}（${r.maskedPhone}）</td><td>${exports}${erase}</td></tr>`;
}

function recordForm(customer: { id: string; name: string; phone: string }): SafeHtml {
  return html`<section class="customer" data-customer="${customer.id}"><h2>${customer.name}（${maskPhone(customer.phone)}）</h2>
<form method="post" action="/admin/privacy/requests"><input type="hidden" name="customerId" value="${customer.id}">
<label>请求<select name="kind">${DATA_REQUEST_KINDS.map((k) => html`<option value="${k}">${KIND_LABELS[k]}</option>`)}</select></label>
<label><input type="checkbox" name="identityChecked" value="yes" required>已当面核实本人（出示该手机号的手机）</label>
<button type="submit">登记请求</button></form></section>`;
}

async function privacyPage(ctx: AppContext, staff: StaffPrincipal, opts: { phone?: string; flash?: Flash } = {}): Promise<string> {
  const { timeZone } = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, select: { timeZone: true } });
  const [requests, dryRun] = await Promise.all([
    openDataRequests(ctx.db, staff.storeId),
    retentionDryRun(ctx.db, ctx.clock, { storeId: staff.storeId, timeZone, months: ctx.config.DATA_RETENTION_MONTHS }),
  ]);
  const e164 = opts.phone ? normalizePhone(opts.phone) : null;
  const customer = e164 ? await ctx.db.customer.findFirst({ where: { AND: [customersOfStore(staff.storeId), { phone: e164, erasedAt: null }] } }) : null;
  const found = opts.phone === undefined ? '' : customer ? recordForm(customer) : html`<p>没有找到本店使用这个手机号的客户，请核对号码（需完整手机号）。</p>`;
  const content = html`<p class="retention">数据保留：未成交客户在最后一次联系 ${ctx.config.DATA_RETENTION_MONTHS} 个月后自动匿名化（<code>DATA_RETENTION_MONTHS</code>）。
按目前的数据，${formatTime(dryRun.runAt, timeZone)} 将匿名化 <strong data-dry-run="${dryRun.customers}">${dryRun.customers}</strong> 位客户。</p>
<h2>待处理的请求</h2>
${requests.length === 0 ? html`<p>没有待处理的请求。</p>` : html`<table><thead><tr><th>编号</th><th>类型</th><th>来源</th><th>时间</th><th>客户</th><th>操作</th></tr></thead><tbody>${requests.map((r) => requestRow(r, staff, timeZone))}</tbody></table>`}
<h2>登记客户到店提出的请求</h2>
<form class="search" method="get" action="/admin/privacy"><input name="phone" value="${opts.phone ?? ''}" placeholder="客户完整手机号" aria-label="客户完整手机号" maxlength="32"><button type="submit">查找</button></form>
${found}`;
  return adminPage({ title: TITLE, staff, content, ...(opts.flash ? { flash: opts.flash } : {}) });
}

const field = (body: unknown, name: string): string => formText(body, name, { max: 64 });

/**
 * `/admin/privacy`: customers' requests to see, copy or erase their data (from a proven chat, or
 * recorded here after the desk checked the person), the JSON and CSV downloads to hand over, the
 * erasure (managers and admins), and the retention job's dry run. Every decision is core's `may`.
 */
export function registerPrivacyPage(app: FastifyInstance, ctx: AppContext): void {
  const send = async (reply: FastifyReply, status: number, body: Promise<string>) => reply.code(status).type('text/html; charset=utf-8').send(await body);
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, 'privacy.request', store(staff))) {
      await reply.code(403).type('text/html; charset=utf-8').send(adminPage({ title: TITLE, staff, content: html`<p>只有前台、经理和管理员可以处理个人信息请求。</p>` }));
      return null;
    }
    return staff;
  };
  /** Runs a core action; a refusal is shown on the page with what to do. */
  const attempt = async (reply: FastifyReply, staff: StaffPrincipal, action: () => Promise<Flash | FastifyReply>) => {
    try {
      const done = await action();
      return 'ok' in done ? send(reply, 200, privacyPage(ctx, staff, { flash: done })) : done;
    } catch (error) {
      if (!(error instanceof DataRequestError)) throw error;
      const status = error.code === 'not_allowed' ? 403 : error.code.endsWith('not_found') ? 404 : error.code === 'already_done' ? 409 : 400;
      return send(reply, status, privacyPage(ctx, staff, { flash: { ok: false, text: ERROR_TEXT[error.code] } }));
    }
  };

  app.get('/admin/privacy', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const phone = formText(request.query, 'phone', { max: 32 });
    return send(reply, 200, privacyPage(ctx, staff, phone ? { phone } : {}));
  });

  app.post('/admin/privacy/requests', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const kind = DATA_REQUEST_KINDS.find((k) => k === field(request.body, 'kind'));
    if (!kind) return send(reply, 400, privacyPage(ctx, staff, { flash: { ok: false, text: '请选择请求类型：查询/复制，或删除。' } }));
    return attempt(reply, staff, async () => {
      await recordDeskRequest(ctx.db, ctx.clock, staff, { customerId: field(request.body, 'customerId'), kind, identityChecked: field(request.body, 'identityChecked') === 'yes' });
      return { ok: true, text: `已登记${KIND_LABELS[kind]}请求，见下方待处理列表。` };
    });
  });

  for (const format of ['json', 'csv'] as const) {
    app.post<{ Params: { id: string } }>(`/admin/privacy/requests/:id/export.${format}`, async (request, reply) => {
      const staff = await guard(request, reply);
      if (!staff) return reply;
      return attempt(reply, staff, async () => {
        const file = await exportForRequest(ctx.db, ctx.clock, staff, request.params.id.slice(0, 64), format);
        ctx.logger.info({ staffId: staff.staffId, format }, 'personal data exported');
        return reply.header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store').type(file.contentType).send(file.body);
      });
    });
  }

  app.post<{ Params: { id: string } }>('/admin/privacy/requests/:id/erase', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    if (field(request.body, 'confirm') !== 'yes') return send(reply, 400, privacyPage(ctx, staff, { flash: { ok: false, text: '请勾选"删除后无法恢复，我已确认"后再删除。' } }));
    return attempt(reply, staff, async () => {
      await eraseForRequest(ctx.db, ctx.clock, staff, request.params.id.slice(0, 64));
      ctx.logger.info({ staffId: staff.staffId }, 'personal data erased on request');
      return { ok: true, text: '已删除：该客户的个人信息已匿名化，尚未发送的消息已取消。此操作已记录。' };
    });
  });
}
