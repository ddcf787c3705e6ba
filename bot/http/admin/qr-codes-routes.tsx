import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { EntryLink } from '../../channels/channel-module.ts';
import { readQrSources } from '../../../core/registration/qr-source-list.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { addQrSource, QrSourceError, type QrSourceErrorCode } from '../../../core/registration/qr-sources.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import { findChannel, qrPng, qrSvg } from './channel-links.ts';
import { QrCodesPage, type SourceLink } from './qr-codes-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { readFields, text, type FieldErrors, type TypedValues } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';

/** Per refusal, the answer's status, the field it is about (none: the page's message only) and what to do. */
const QR_REFUSALS: Record<QrSourceErrorCode, [number, string | null, string]> = {
  not_allowed: [403, null, '只有管理员和经理可以添加二维码来源。'],
  code_invalid: [400, 'code', '编码只能用 1–64 个英文字母、数字、_ 或 -，例如 zhang-wei。'],
  code_taken: [409, 'code', '这个编码已经被使用了，请换一个。'],
  label_invalid: [400, 'label', '请填写名称（1–60 字），例如 张伟的名片二维码。'],
  consultant_invalid: [400, 'consultantId', '请选择本店在职的销售顾问。'],
  no_campaign: [409, null, '本店当前没有进行中的活动，无法添加二维码来源。'],
};
const addForm = z.object({ code: text(100), label: text(100), consultantId: text(64) });

/** The running channels' entry links, in the catalog's order: the columns of the page. */
const entryLinks = (ctx: AppContext): EntryLink[] => ctx.channels.flatMap((c) => c.entryLinks ?? []);

/**
 * `/admin/qr-codes` (every staff member): every QR source with each running channel's links of its
 * own (the web form, a Telegram deep link, WeCom's 「联系我」 code and 微信客服 link…) as a QR code to
 * print, and how to switch on the channels that are off; `/admin/qr-codes/<code>/<link>.png|.svg`
 * (e.g. `telegram.png`, `wecom-kf.svg`) download one. Admins and managers add sources here, e.g.
 * one per consultant for their business card.
 */
export const qrCodesRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const staffOnly = { preHandler: requirePermission(ctx, 'staff') };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    refused?: { flash: Flash; typed: TypedValues; errors: FieldErrors },
  ) => {
    const staff = signedIn(request);
    const list = await readQrSources(ctx.db, staff.storeId);
    const entries = entryLinks(ctx);
    const links = new Map<string, SourceLink[]>();
    for (const source of list.sources) {
      const made = await Promise.all(
        entries.map(async (entry): Promise<SourceLink> => {
          const link = await entry.link(source.code);
          return { entry, link, svg: link === null || entry.isQrImage ? null : await qrSvg(link) };
        }),
      );
      links.set(source.code, made);
    }
    const off = ctx.channelsOff.flatMap((m) =>
      m.offers.entryLinks && m.whenOff ? [{ label: m.label, setupHint: m.whenOff.setupHint }] : [],
    );
    const flash = refused?.flash ?? takeFlash(request, reply);
    const refusal = refused ? { typed: refused.typed, errors: refused.errors } : null;
    const mayAdd = may(staff, 'store.setup', storeSubject(staff));
    const page = (
      <QrCodesPage
        staff={staff}
        list={list}
        entries={entries}
        links={links}
        off={off}
        mayAdd={mayAdd}
        flash={flash}
        refusal={refusal}
      />
    );
    return sendPage(reply, status, page);
  };

  app.get('/admin/qr-codes', staffOnly, async (request, reply) => show(request, reply, 200));

  app.post('/admin/qr-codes', staffOnly, async (request, reply) => {
    const form = readFields(addForm, request.body);
    const input = form.ok ? form.data : { code: '', label: '', consultantId: '' };
    try {
      const source = await addQrSource(ctx.db, ctx.clock, signedIn(request), {
        ...input,
        consultantId: input.consultantId || null,
      });
      return redirectWithFlash(reply, '/admin/qr-codes', {
        ok: true,
        text: `已添加二维码来源：${source.label}（${source.code}）`,
      });
    } catch (error) {
      if (!(error instanceof QrSourceError)) throw error;
      const [status, field, text] = QR_REFUSALS[error.code];
      return show(request, reply, status, {
        flash: { ok: false, text },
        typed: form.typed,
        errors: field ? { [field]: text } : {},
      });
    }
  });

  app.get<{ Params: { code: string; channel: string; format: string } }>(
    '/admin/qr-codes/:code/:channel.:format',
    staffOnly,
    async (request, reply) => {
      const staff = signedIn(request);
      const { code, channel, format } = request.params;
      if (format !== 'png' && format !== 'svg')
        return reply.code(404).send({ error: `Use ${channel}.png or ${channel}.svg` });
      const entry = entryLinks(ctx).find((e) => e.name === channel);
      if (!entry) {
        const found = findChannel(ctx, channel);
        if (found && 'off' in found)
          return reply
            .code(409)
            .send({ error: `${found.off.label} is not connected: ${found.off.whenOff?.howToEnable ?? 'see README'}` });
        return reply.code(404).send({
          error: `No links "${channel}": use one of ${entryLinks(ctx)
            .map((e) => e.name)
            .join(', ')}`,
        });
      }
      const source = isQrSourceCode(code)
        ? await ctx.db.qrSource.findFirst({ where: { code, storeId: staff.storeId } })
        : null;
      if (!source) return reply.code(404).send({ error: `No QR source "${code}" in this store` });
      const link = await entry.link(source.code);
      if (link === null) {
        const hint = entry.unavailableHint ?? 'see README';
        return reply.code(409).send({ error: `${entry.label} cannot make a code for "${source.code}" yet: ${hint}` });
      }
      if (entry.isQrImage) return reply.redirect(link, 302);
      reply.header('content-disposition', `attachment; filename="${channel}-${source.code}.${format}"`);
      if (format === 'svg') return reply.type('image/svg+xml').send((await qrSvg(link)).value);
      return reply.type('image/png').send(await qrPng(link));
    },
  );
};
