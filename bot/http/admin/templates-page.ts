import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../../core/audit/record-audit.ts';
import { LOCALES, type Locale } from '../../../core/config.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from '../../../core/journeys/template-defaults.ts';
import { saveTemplate, templateBody, TemplateInvalidError } from '../../../core/journeys/templates.ts';
import { smsTemplatesOf } from '../../../core/outbox/sms-templates.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage } from './admin-layout.ts';
import { requireStaff } from './admin-auth.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import { registerSmsTemplateRoutes, smsStyleOf, smsTemplateSection, SURVEY_SMS_KINDS, type TypedSms } from './sms-templates-section.ts';

type Flash = { ok: boolean; text: string };
/** A body the staff member typed that was refused: shown again in its textarea. */
type Typed = { kind: TemplateKind; locale: Locale; body: string };

const TITLE = '消息模板';
const KINDS = Object.keys(TEMPLATE_KINDS) as TemplateKind[];
const KIND_LABELS: Record<TemplateKind, string> = {
  visit_thanks: '到店感谢', delivery_reminder_72h: '交车提醒（提前 72 小时）', delivery_reminder_24h: '交车提醒（提前 24 小时）', delivery_thanks: '交车感谢',
  delivery_check: '交车后回访', first_service_reminder: '首次保养提醒', birthday_greeting: '生日祝福', holiday_greeting: '节日祝福',
};
const LOCALE_LABELS: Record<Locale, string> = { 'zh-CN': '中文', en: '英文' };
const VARIABLE_LABELS: Record<string, string> = {
  customerName: '客户姓名', honorific: '称呼', storeName: '门店名称', consultantName: '销售顾问', model: '车型', deliveryTime: '交车时间',
  address: '门店地址', hotline: '服务热线', holidayName: '节日名称', serviceDueDate: '保养到期日',
};

const isKind = (kind: string): kind is TemplateKind => Object.hasOwn(TEMPLATE_KINDS, kind);
const isLocale = (locale: string): locale is Locale => (LOCALES as readonly string[]).includes(locale);
const variableList = (kind: TemplateKind): string => [...TEMPLATE_KINDS[kind].required, ...TEMPLATE_KINDS[kind].optional].map((v) => `{${v}}`).join(' ');

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

function variablesOf(kind: TemplateKind): SafeHtml {
  const { required, optional } = TEMPLATE_KINDS[kind];
  const item = (name: string, isRequired: boolean) => html`<li data-variable="${name}"><code>{${name}}</code> ${VARIABLE_LABELS[name] ?? name}${isRequired ? html` <strong>（必填）</strong>` : ''}</li>`;
  return html`<ul class="variables">${required.map((n) => item(n, true))}${optional.map((n) => item(n, false))}</ul>`;
}

function templateForm(kind: TemplateKind, locale: Locale, own: string | undefined, typed: Typed | undefined): SafeHtml {
  const body = typed?.kind === kind && typed.locale === locale ? typed.body : (own ?? DEFAULT_TEMPLATES[kind][locale]);
  const path = `/admin/templates/${kind}/${locale}`;
  // The parser drops one line break right after <textarea>, so ours keeps a body's own leading one.
  return html`<section class="template" id="${kind}-${locale}" data-template="${kind}:${locale}">
<h3>${LOCALE_LABELS[locale]} · ${own === undefined ? html`<span class="source default">默认模板</span>` : html`<span class="source own">本店自定义</span>`}</h3>
<form method="post" action="${path}"><textarea name="body" rows="4" maxlength="1000" aria-label="${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）" required>
${body}</textarea>
<button type="submit">保存</button></form>
${own === undefined ? '' : html`<form method="post" action="${path}/reset"><button type="submit">恢复默认模板</button></form>`}
</section>`;
}

/**
 * Every kind × locale with the store's current body, its variables and a form to change it, and
 * each kind's SMS template (the survey questions have an SMS template only).
 */
async function templatesPage(ctx: AppContext, staff: StaffPrincipal, flash?: Flash, typed?: Typed, typedSms?: TypedSms): Promise<string> {
  const [rows, sms] = await Promise.all([ctx.db.messageTemplate.findMany({ where: { storeId: staff.storeId } }), smsTemplatesOf(ctx.db, staff.storeId)]);
  const own = new Map(rows.map((r) => [`${r.kind}:${r.locale}`, r.body]));
  const smsContext = { style: smsStyleOf(ctx), linkBase: ctx.publicBaseUrl };
  const smsColumn = (kind: string) => smsTemplateSection(kind, sms.get(kind), typedSms, smsContext);
  const content = html`<p>模板中的 <code>{变量}</code> 会在发送时替换为客户和门店的实际信息；标注“必填”的变量必须保留。</p>
<p>没有聊天渠道能送达的客户（例如填写登记表后关闭了网页）会收到短信，前提是该类消息设置了已审核的短信模板${smsContext.style ? '' : '（短信渠道尚未开启，见 README 的 SMS 一节）'}。</p>
${KINDS.map((kind) => html`<section class="template-kind" data-kind="${kind}"><h2>${KIND_LABELS[kind]} <small>${kind}</small></h2>
${variablesOf(kind)}
${LOCALES.map((locale) => templateForm(kind, locale, own.get(`${kind}:${locale}`), typed))}
${smsColumn(kind)}</section>`)}
${Object.entries(SURVEY_SMS_KINDS).map(([kind, label]) => html`<section class="template-kind" data-kind="${kind}"><h2>${label} <small>${kind}</small></h2>${smsColumn(kind)}</section>`)}`;
  return adminPage({ title: TITLE, staff, content, ...(flash ? { flash } : {}) });
}

/** `/admin/templates`: view, change and reset the store's wording of every journey message, audited. */
export function registerTemplatesPage(app: FastifyInstance, ctx: AppContext): void {
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, 'store.setup', storeSubject(staff))) {
      await reply.code(403).type('text/html; charset=utf-8').send(adminPage({ title: TITLE, staff, content: html`<p>只有管理员和经理可以修改消息模板。</p>` }));
      return null;
    }
    return staff;
  };
  const send = async (reply: FastifyReply, status: number, body: Promise<string>) => reply.code(status).type('text/html; charset=utf-8').send(await body);
  const audit = (staff: StaffPrincipal, kind: TemplateKind, locale: Locale, action: string, details: { before: string; after: string }) => ({
    storeId: staff.storeId, actorStaffId: staff.staffId, action, entity: 'template', entityId: `${kind}:${locale}`, details, at: ctx.clock.now(),
  });

  registerSmsTemplateRoutes(app, ctx, {
    guard, render: (staff, flash, typedSms) => templatesPage(ctx, staff, flash, undefined, typedSms), label: (kind) => (isKind(kind) ? KIND_LABELS[kind] : (SURVEY_SMS_KINDS[kind] ?? kind)),
  });

  app.get('/admin/templates', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    return send(reply, 200, templatesPage(ctx, staff));
  });

  app.post<{ Params: { kind: string; locale: string } }>('/admin/templates/:kind/:locale', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const { kind, locale } = request.params;
    if (!isKind(kind) || !isLocale(locale)) return reply.code(404).send({ error: 'Not found' });
    // Browsers send CRLF from a textarea: the sanitizer keeps plain line breaks.
    const body = formText(request.body, 'body', { max: 5000, multiline: true });
    try {
      await ctx.db.$transaction(async (tx) => {
        const before = await templateBody(tx, staff.storeId, kind, locale);
        await saveTemplate(tx, staff.storeId, kind, locale, body);
        await recordAudit(tx, audit(staff, kind, locale, 'template.saved', { before, after: body }));
      });
    } catch (error) {
      if (!(error instanceof TemplateInvalidError)) throw error;
      return send(reply, 400, templatesPage(ctx, staff, { ok: false, text: `${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）${errorText(error, kind)}` }, { kind, locale, body }));
    }
    ctx.logger.info({ kind, locale, staffId: staff.staffId }, 'template saved');
    return send(reply, 200, templatesPage(ctx, staff, { ok: true, text: `已保存：${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}），之后发出的消息将使用新模板。` }));
  });

  app.post<{ Params: { kind: string; locale: string } }>('/admin/templates/:kind/:locale/reset', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const { kind, locale } = request.params;
    if (!isKind(kind) || !isLocale(locale)) return reply.code(404).send({ error: 'Not found' });
    const reset = await ctx.db.$transaction(async (tx) => {
      const own = await tx.messageTemplate.findUnique({ where: { storeId_kind_locale: { storeId: staff.storeId, kind, locale } } });
      if (!own) return false;
      await tx.messageTemplate.delete({ where: { id: own.id } });
      await recordAudit(tx, audit(staff, kind, locale, 'template.reset', { before: own.body, after: DEFAULT_TEMPLATES[kind][locale] }));
      return true;
    });
    if (reset) ctx.logger.info({ kind, locale, staffId: staff.staffId }, 'template reset');
    const text = reset ? `已恢复默认模板：${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）。` : `${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）已经在使用默认模板。`;
    return send(reply, 200, templatesPage(ctx, staff, { ok: true, text }));
  });
}
