import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { html, trusted } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';

/** A QR source's Telegram deep link: `/start <code>` opens registration for its store, campaign and consultant. */
export const telegramDeepLink = (botUsername: string, payload: string): string => `https://t.me/${botUsername}?start=${payload}`;

const NOT_CONFIGURED = html`<p class="flash err">Telegram 尚未连接。请在 @BotFather 创建机器人，把令牌写入 <code>TELEGRAM_BOT_TOKEN</code>（见 .env.example 与 README 的 Telegram 一节），然后重启服务。</p>`;

/**
 * `/admin/qr-codes`: every QR source with its web link and, when the Telegram channel runs, its
 * Telegram deep link as a QR code to print; `/admin/qr-codes/<code>/telegram.png|.svg` download it.
 */
export function registerQrCodesPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/qr-codes', async (request, reply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (!staff) return reply;
    const sources = await ctx.db.qrSource.findMany({ where: { storeId: staff.storeId }, include: { consultant: true, campaign: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const bot = ctx.telegramBotUsername;
    const rows = await Promise.all(sources.map(async (s) => {
      const link = bot ? telegramDeepLink(bot, s.code) : null;
      const qr = link ? trusted(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })) : '';
      return html`<tr data-code="${s.code}"><td>${s.label}<br><small>${s.code}${s.active ? '' : '（已停用）'}</small></td><td>${s.campaign?.name ?? '—'}</td><td>${s.consultant?.name ?? '轮流分配'}</td>
<td><a href="${ctx.publicBaseUrl}/r/${s.code}">${ctx.publicBaseUrl}/r/${s.code}</a></td>
<td>${link ? html`<div class="qr small">${qr}</div><a href="${link}">${link}</a><br><a href="/admin/qr-codes/${s.code}/telegram.png" download>下载 PNG</a> · <a href="/admin/qr-codes/${s.code}/telegram.svg" download>下载 SVG</a>` : '—'}</td></tr>`;
    }));
    const content = html`${bot ? '' : NOT_CONFIGURED}
<table><thead><tr><th>二维码来源</th><th>活动</th><th>顾问</th><th>网页登记链接</th><th>Telegram 链接</th></tr></thead><tbody>${rows}</tbody></table>`;
    return reply.type('text/html; charset=utf-8').send(adminPage({ title: '二维码', staff, content }));
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
