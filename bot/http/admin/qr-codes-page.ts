import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { addQrSource, QrSourceError, type QrSourceErrorCode } from '../../../core/registration/qr-sources.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html, trusted } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';

/** A QR source's Telegram deep link: `/start <code>` opens registration for its store, campaign and consultant. */
export const telegramDeepLink = (botUsername: string, payload: string): string => `https://t.me/${botUsername}?start=${payload}`;

const NOT_CONFIGURED = html`<p class="flash err">Telegram 尚未连接。请在 @BotFather 创建机器人，把令牌写入 <code>TELEGRAM_BOT_TOKEN</code>（见 .env.example 与 README 的 Telegram 一节），然后重启服务。</p>`;

const QR_REFUSALS: Record<QrSourceErrorCode, [number, string]> = {
  not_allowed: [403, '只有管理员和经理可以添加二维码来源。'],
  code_invalid: [400, '编码只能用 1–64 个英文字母、数字、_ 或 -，例如 zhang-wei。'],
  code_taken: [409, '这个编码已经被使用了，请换一个。'],
  label_invalid: [400, '请填写名称（1–60 字），例如 张伟的名片二维码。'],
  consultant_invalid: [400, '请选择本店在职的销售顾问。'],
  no_campaign: [409, '本店当前没有进行中的活动，无法添加二维码来源。'],
};

async function qrCodesPage(ctx: AppContext, staff: StaffPrincipal, flash?: { ok: boolean; text: string }): Promise<string> {
  const [sources, consultants] = await Promise.all([
    ctx.db.qrSource.findMany({ where: { storeId: staff.storeId }, include: { consultant: true, campaign: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ctx.db.staff.findMany({ where: { storeId: staff.storeId, role: 'CONSULTANT', active: true }, orderBy: { name: 'asc' } }),
  ]);
  const bot = ctx.telegramBotUsername;
  const rows = await Promise.all(sources.map(async (s) => {
    const link = bot ? telegramDeepLink(bot, s.code) : null;
    const qr = link ? trusted(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })) : '';
    return html`<tr data-code="${s.code}"><td>${s.label}<br><small>${s.code}${s.active ? '' : '（已停用）'}</small></td><td>${s.campaign?.name ?? '—'}</td><td>${s.consultant?.name ?? '轮流分配'}</td>
<td><a href="${ctx.publicBaseUrl}/r/${s.code}">${ctx.publicBaseUrl}/r/${s.code}</a><br><a href="/?source=${s.code}">海报</a></td>
<td>${link ? html`<div class="qr small">${qr}</div><a href="${link}">${link}</a><br><a href="/admin/qr-codes/${s.code}/telegram.png" download>下载 PNG</a> · <a href="/admin/qr-codes/${s.code}/telegram.svg" download>下载 SVG</a>` : '—'}</td></tr>`;
  }));
  const addForm = staff.role === 'ADMIN' || staff.role === 'MANAGER' ? html`<form method="post" action="/admin/qr-codes" class="search">
<input name="label" maxlength="60" placeholder="名称，如 张伟的名片" aria-label="名称" required><input name="code" maxlength="64" placeholder="编码，如 zhang-wei" aria-label="编码" required pattern="[A-Za-z0-9_-]{1,64}">
<select name="consultantId" aria-label="顾问"><option value="">轮流分配</option>${consultants.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select><button type="submit">添加二维码来源</button></form>` : '';
  const content = html`${bot ? '' : NOT_CONFIGURED}${addForm}
<table><thead><tr><th>二维码来源</th><th>活动</th><th>顾问</th><th>网页登记链接</th><th>Telegram 链接</th></tr></thead><tbody>${rows}</tbody></table>`;
  return adminPage({ title: '二维码', staff, content, ...(flash ? { flash } : {}) });
}

/**
 * `/admin/qr-codes`: every QR source with its web link and, when the Telegram channel runs, its
 * Telegram deep link as a QR code to print; `/admin/qr-codes/<code>/telegram.png|.svg` download it.
 * Admins and managers add sources here, e.g. one per consultant for their business card.
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
    const body = (request.body ?? {}) as Record<string, unknown>;
    reply.type('text/html; charset=utf-8');
    try {
      const source = await addQrSource(ctx.db, ctx.clock, staff, { code: String(body.code ?? ''), label: String(body.label ?? ''), consultantId: typeof body.consultantId === 'string' ? body.consultantId : null });
      return reply.send(await qrCodesPage(ctx, staff, { ok: true, text: `已添加二维码来源：${source.label}（${source.code}）` }));
    } catch (error) {
      if (!(error instanceof QrSourceError)) throw error;
      const [status, text] = QR_REFUSALS[error.code];
      return reply.code(status).send(await qrCodesPage(ctx, staff, { ok: false, text }));
    }
  });

  app.get<{ Params: { code: string; format: string } }>('/admin/qr-codes/:code/telegram.:format', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const { code, format } = request.params;
    if (format !== 'png' && format !== 'svg') return reply.code(404).send({ error: 'Use telegram.png or telegram.svg' });
    if (!ctx.telegramBotUsername) return reply.code(409).send({ error: 'Telegram is not connected: set TELEGRAM_BOT_TOKEN and restart' });
    const source = isQrSourceCode(code) ? await ctx.db.qrSource.findFirst({ where: { code, storeId: staff.storeId } }) : null;
    if (!source) return reply.code(404).send({ error: `No QR source "${code}" in this store` });
    const link = telegramDeepLink(ctx.telegramBotUsername, source.code);
    reply.header('content-disposition', `attachment; filename="telegram-${source.code}.${format}"`);
    if (format === 'svg') return reply.type('image/svg+xml').send(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    return reply.type('image/png').send(await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 1024 }));
  });
}
