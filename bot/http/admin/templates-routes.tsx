import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../../core/audit/record-audit.ts';
import { LOCALES, type Locale } from '../../../core/config.ts';
import { readStoreTemplates } from '../../../core/journeys/store-templates.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from '../../../core/journeys/template-defaults.ts';
import { saveTemplate, templateBody, TemplateInvalidError } from '../../../core/journeys/templates.ts';
import { SMS_KINDS } from '../../../core/outbox/sms-kinds.ts';
import {
  saveSmsTemplate,
  SmsTemplateInvalidError,
  smsTemplatesOf,
  validateSmsTemplate,
  type SmsTemplateStyle,
} from '../../../core/outbox/sms-templates.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { requirePermission, signedIn } from './admin-guard.tsx';
import {
  KIND_LABELS,
  LOCALE_LABELS,
  SURVEY_SMS_KINDS,
  TemplatesPage,
  VARIABLE_LABELS,
  type SmsContext,
  type TypedTemplate,
} from './templates-view.tsx';
import { redirectWithFlash, takeFlash, type Flash } from './ui/flash.ts';
import { readFields, text } from './ui/form-schema.ts';
import { sendPage } from './ui/send-page.ts';

const isKind = (kind: string): kind is TemplateKind => Object.hasOwn(TEMPLATE_KINDS, kind);
const isLocale = (locale: string): locale is Locale => (LOCALES as readonly string[]).includes(locale);
const variableList = (kind: TemplateKind): string =>
  [...TEMPLATE_KINDS[kind].required, ...TEMPLATE_KINDS[kind].optional].map((v) => `{${v}}`).join(' ');
const kindLabel = (kind: string): string => (isKind(kind) ? KIND_LABELS[kind] : (SURVEY_SMS_KINDS[kind] ?? kind));
const SMS_FIELD_LABELS: Record<SmsTemplateInvalidError['field'], string> = {
  kind: '消息类型',
  templateCode: '模板代码',
  text: '模板内容',
  params: '参数对应',
};

// Browsers send CRLF from a textarea: the sanitizer keeps plain line breaks.
const templateForm = z.object({ body: text(5000, { multiline: true }) });
const smsTemplateForm = z.object({
  templateCode: text(40),
  text: text(600, { multiline: true }),
  params: text(600, { multiline: true }),
});

/** Says in Chinese why core refused the body, naming the variable. */
function errorText(error: TemplateInvalidError, kind: TemplateKind): string {
  switch (error.code) {
    case 'unknown_variable':
      return `模板未保存：不能使用变量 {${error.variable}}。这个模板可用的变量是 ${variableList(kind)}。`;
    case 'missing_variable':
      return `模板未保存：必须包含变量 {${error.variable}}（${VARIABLE_LABELS[error.variable ?? ''] ?? error.variable}）。`;
    case 'length':
      return '模板未保存：内容不能为空，也不能超过 1000 个字。';
    default:
      return error.code satisfies never;
  }
}

/**
 * The provider whose placeholders and template codes the store's SMS templates use: the running SMS channel's, else
 * none yet.
 */
export function smsStyleOf(ctx: AppContext): SmsTemplateStyle | null {
  const sms = ctx.channels.find((channel) => channel.channel === 'SMS');
  return sms && 'smsProvider' in sms && (sms.smsProvider === 'aliyun' || sms.smsProvider === 'tencent')
    ? sms.smsProvider
    : null;
}

const backTo = (kind: string) => `/admin/templates#kind-${kind}`;

/**
 * `/admin/templates` (admins and managers): view, change and reset the store's wording of every
 * journey message, and each kind's SMS template; audited. A saved change redirects to its kind.
 */
export const templatesRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const setup = { preHandler: requirePermission(ctx, 'store.setup') };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    refusal?: { flash: Flash; typed: TypedTemplate },
  ) => {
    const staff = signedIn(request);
    const templates = await readStoreTemplates(ctx.db, staff.storeId);
    const flash = refusal?.flash ?? takeFlash(request, reply);
    const sms: SmsContext = { style: smsStyleOf(ctx), linkBase: ctx.publicBaseUrl };
    const page = (
      <TemplatesPage staff={staff} templates={templates} sms={sms} typed={refusal?.typed ?? null} flash={flash} />
    );
    return sendPage(reply, status, page);
  };
  const audit = (
    staff: StaffPrincipal,
    entity: string,
    entityId: string,
    action: string,
    details: Record<string, unknown>,
  ) => ({
    storeId: staff.storeId,
    actorStaffId: staff.staffId,
    action,
    entity,
    entityId,
    details,
    at: ctx.clock.now(),
  });

  app.get('/admin/templates', setup, async (request, reply) => show(request, reply, 200));

  app.post<{ Params: { kind: string; locale: string } }>(
    '/admin/templates/:kind/:locale',
    setup,
    async (request, reply) => {
      const staff = signedIn(request);
      const { kind, locale } = request.params;
      if (!isKind(kind) || !isLocale(locale)) return reply.callNotFound();
      const form = readFields(templateForm, request.body);
      const body = form.ok ? form.data.body : '';
      const what = `${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）`;
      try {
        await ctx.db.$transaction(async (tx) => {
          const before = await templateBody(tx, staff.storeId, kind, locale);
          await saveTemplate(tx, staff.storeId, kind, locale, body);
          await recordAudit(
            tx,
            audit(staff, 'template', `${kind}:${locale}`, 'template.saved', { before, after: body }),
          );
        });
      } catch (error) {
        if (!(error instanceof TemplateInvalidError)) throw error;
        return show(request, reply, 400, {
          flash: { ok: false, text: `${what}${errorText(error, kind)}` },
          typed: { kind, locale, body },
        });
      }
      ctx.logger.info({ kind, locale, staffId: staff.staffId }, 'template saved');
      return redirectWithFlash(reply, backTo(kind), {
        ok: true,
        text: `已保存：${what}，之后发出的消息将使用新模板。`,
      });
    },
  );

  app.post<{ Params: { kind: string; locale: string } }>(
    '/admin/templates/:kind/:locale/reset',
    setup,
    async (request, reply) => {
      const staff = signedIn(request);
      const { kind, locale } = request.params;
      if (!isKind(kind) || !isLocale(locale)) return reply.callNotFound();
      const reset = await ctx.db.$transaction(async (tx) => {
        const own = await tx.messageTemplate.findUnique({
          where: { storeId_kind_locale: { storeId: staff.storeId, kind, locale } },
        });
        if (!own) return false;
        await tx.messageTemplate.delete({ where: { id: own.id } });
        const details = { before: own.body, after: DEFAULT_TEMPLATES[kind][locale] };
        await recordAudit(tx, audit(staff, 'template', `${kind}:${locale}`, 'template.reset', details));
        return true;
      });
      if (reset) ctx.logger.info({ kind, locale, staffId: staff.staffId }, 'template reset');
      const what = `${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）`;
      return redirectWithFlash(reply, backTo(kind), {
        ok: true,
        text: reset ? `已恢复默认模板：${what}。` : `${what}已经在使用默认模板。`,
      });
    },
  );

  /** A kind's SMS template, validated against the kind. */
  app.post<{ Params: { kind: string } }>('/admin/templates/:kind/sms', setup, async (request, reply) => {
    const staff = signedIn(request);
    const { kind } = request.params;
    if (!Object.hasOwn(SMS_KINDS, kind)) return reply.callNotFound();
    const form = readFields(smsTemplateForm, request.body);
    const input = form.ok ? form.data : { templateCode: '', text: '', params: '' };
    try {
      const template = validateSmsTemplate(kind, input, { style: smsStyleOf(ctx), linkBase: ctx.publicBaseUrl });
      await ctx.db.$transaction(async (tx) => {
        const before = (await smsTemplatesOf(tx, staff.storeId)).get(kind) ?? null;
        await saveSmsTemplate(tx, staff.storeId, template);
        await recordAudit(tx, audit(staff, 'sms_template', kind, 'sms_template.saved', { before, after: template }));
      });
    } catch (error) {
      if (!(error instanceof SmsTemplateInvalidError)) throw error;
      const text = `${kindLabel(kind)}的短信模板未保存（${SMS_FIELD_LABELS[error.field]}）：${error.message}`;
      return show(request, reply, 400, { flash: { ok: false, text }, typed: { kind, locale: 'sms', ...input } });
    }
    return redirectWithFlash(reply, backTo(kind), {
      ok: true,
      text: `已保存${kindLabel(kind)}的短信模板，之后不能通过聊天送达的客户将收到短信。`,
    });
  });

  app.post<{ Params: { kind: string } }>('/admin/templates/:kind/sms/delete', setup, async (request, reply) => {
    const staff = signedIn(request);
    const { kind } = request.params;
    if (!Object.hasOwn(SMS_KINDS, kind)) return reply.callNotFound();
    const removed = await ctx.db.$transaction(async (tx) => {
      const own = await tx.smsTemplate.findUnique({ where: { storeId_kind: { storeId: staff.storeId, kind } } });
      if (!own) return false;
      await tx.smsTemplate.delete({ where: { id: own.id } });
      await recordAudit(tx, audit(staff, 'sms_template', kind, 'sms_template.removed', { before: own.templateCode }));
      return true;
    });
    return redirectWithFlash(reply, backTo(kind), {
      ok: true,
      text: removed ? `${kindLabel(kind)}不再通过短信发送。` : `${kindLabel(kind)}本来就没有短信模板。`,
    });
  });
};
