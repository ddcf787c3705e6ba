import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { EntryLink } from '../../channels/channel-module.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { addQrSource, QrSourceError, type QrSourceErrorCode } from '../../../core/registration/qr-sources.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { findChannel, qrPng, qrSvg } from './channel-links.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';

const QR_REFUSALS: Record<QrSourceErrorCode, [number, string]> = {
  not_allowed: [403, '只有管理员和经理可以添加二维码来源。'],
  code_invalid: [400, '编码只能用 1–64 个英文字母、数字、_ 或 -，例如 zhang-wei。'],
  code_taken: [409, '这个编码已经被使用了，请换一个。'],
  label_invalid: [400, '请填写名称（1–60 字），例如 张伟的名片二维码。'],
  consultant_invalid: [400, '请选择本店在职的销售顾问。'],
  no_campaign: [409, '本店当前没有进行中的活动，无法添加二维码来源。'],
};

/** The running channels' entry links, in the catalog's order: the columns of the page. */
const entryLinks = (ctx: AppContext): EntryLink[] => ctx.channels.flatMap((c) => c.entryLinks ?? []);

/** One entry link's cell of a source's row: the source's link, its QR code, and downloads of it. */
async function linkCell(entry: EntryLink, code: string): Promise<SafeHtml> {
  const link = await entry.link(code);
  if (link === null) return html`<td><small>${entry.unavailableHint ?? `${entry.label} 的二维码还不能生成。`}</small></td>`;
  // The platform's own code (WeCom): a QR of the image's URL would open the picture, not add the consultant.
  if (entry.isQrImage) return html`<td><img class="qr small" src="${link}" alt="${entry.label} 二维码" width="160" height="160"><br><a href="${link}" download>下载二维码图片</a></td>`;
  const file = `/admin/qr-codes/${code}/${entry.name}`;
  return html`<td><div class="qr small">${await qrSvg(link)}</div><a href="${link}">${link}</a><br><a href="${file}.png" download>下载 PNG</a> · <a href="${file}.svg" download>下载 SVG</a></td>`;
}

async function qrCodesPage(ctx: AppContext, staff: StaffPrincipal, flash?: { ok: boolean; text: string }): Promise<string> {
  const [sources, consultants] = await Promise.all([
    ctx.db.qrSource.findMany({ where: { storeId: staff.storeId }, include: { consultant: true, campaign: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ctx.db.staff.findMany({ where: { storeId: staff.storeId, role: 'CONSULTANT', active: true }, orderBy: { name: 'asc' } }),
  ]);
  const linked = entryLinks(ctx);
  const rows = await Promise.all(sources.map(async (s) => html`<tr data-code="${s.code}"><td>${s.label}<br><small>${s.code}${s.active ? '' : '（已停用）'}</small><br><a href="/?source=${s.code}">海报</a></td><td>${s.campaign?.name ?? '—'}</td><td>${s.consultant?.name ?? '轮流分配'}</td>
${await Promise.all(linked.map((entry) => linkCell(entry, s.code)))}</tr>`));
  const off = ctx.channelsOff.flatMap((m) => (m.offers.entryLinks && m.whenOff ? [html`<p class="flash err">${m.label} 尚未连接。${m.whenOff.setupHint}</p>`] : []));
  const addForm = may(staff, 'store.setup', storeSubject(staff)) ? html`<form method="post" action="/admin/qr-codes" class="search">
<input name="label" maxlength="60" placeholder="名称，如 张伟的名片" aria-label="名称" required><input name="code" maxlength="64" placeholder="编码，如 zhang-wei" aria-label="编码" required pattern="[A-Za-z0-9_-]{1,64}">
<select name="consultantId" aria-label="顾问"><option value="">轮流分配</option>${consultants.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select><button type="submit">添加二维码来源</button></form>` : '';
  const content = html`${off}${addForm}
<table><thead><tr><th>二维码来源</th><th>活动</th><th>顾问</th>${linked.map((entry) => html`<th>${entry.label}链接</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  return adminPage({ title: '二维码', staff, content, ...(flash ? { flash } : {}) });
}

/**
 * `/admin/qr-codes`: every QR source with each running channel's links of its own (the web form,
 * a Telegram deep link, WeCom's 「联系我」 code and 微信客服 link…) as a QR code to print, and how
 * to switch on the channels that are off; `/admin/qr-codes/<code>/<link>.png|.svg` (e.g.
 * `telegram.png`, `wecom-kf.svg`) download one. Admins and managers add sources here, e.g. one per consultant for their business card.
 */
export function registerQrCodesPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/qr-codes', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    return reply.type('text/html; charset=utf-8').send(await qrCodesPage(ctx, staff));
  });

  app.post('/admin/qr-codes', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const body = request.body;
    reply.type('text/html; charset=utf-8');
    try {
      const source = await addQrSource(ctx.db, ctx.clock, staff, { code: formText(body, 'code', { max: 100 }), label: formText(body, 'label', { max: 100 }), consultantId: formText(body, 'consultantId', { max: 64 }) || null });
      return reply.send(await qrCodesPage(ctx, staff, { ok: true, text: `已添加二维码来源：${source.label}（${source.code}）` }));
    } catch (error) {
      if (!(error instanceof QrSourceError)) throw error;
      const [status, text] = QR_REFUSALS[error.code];
      return reply.code(status).send(await qrCodesPage(ctx, staff, { ok: false, text }));
    }
  });

  app.get<{ Params: { code: string; channel: string; format: string } }>('/admin/qr-codes/:code/:channel.:format', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const { code, channel, format } = request.params;
    if (format !== 'png' && format !== 'svg') return reply.code(404).send({ error: `Use ${channel}.png or ${channel}.svg` });
    const entry = entryLinks(ctx).find((e) => e.name === channel);
    if (!entry) {
      const found = findChannel(ctx, channel);
      if (found && 'off' in found) return reply.code(409).send({ error: `${found.off.label} is not connected: ${found.off.whenOff?.howToEnable ?? 'see README'}` });
      return reply.code(404).send({ error: `No links "${channel}": use one of ${entryLinks(ctx).map((e) => e.name).join(', ')}` });
    }
    const source = isQrSourceCode(code) ? await ctx.db.qrSource.findFirst({ where: { code, storeId: staff.storeId } }) : null;
    if (!source) return reply.code(404).send({ error: `No QR source "${code}" in this store` });
    const link = await entry.link(source.code);
    if (link === null) return reply.code(409).send({ error: `${entry.label} cannot make a code for "${source.code}" yet: ${entry.unavailableHint ?? 'see README'}` });
    if (entry.isQrImage) return reply.redirect(link, 302);
    reply.header('content-disposition', `attachment; filename="${channel}-${source.code}.${format}"`);
    if (format === 'svg') return reply.type('image/svg+xml').send((await qrSvg(link)).value);
    return reply.type('image/png').send(await qrPng(link));
  });
}
