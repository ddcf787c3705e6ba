import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../../core/audit/record-audit.ts';
import { SMS_KINDS } from '../../../core/outbox/sms-kinds.ts';
import { saveSmsTemplate, SmsTemplateInvalidError, smsTemplatesOf, validateSmsTemplate, type SmsTemplate, type SmsTemplateInput, type SmsTemplateStyle } from '../../../core/outbox/sms-templates.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html, type SafeHtml } from '../html.ts';

/** What an admin typed for a kind's SMS template that was refused: shown again in its form. */
export type TypedSms = SmsTemplateInput & { kind: string };
type Flash = { ok: boolean; text: string };
/** Renders the templates page with a flash (and a refused form as typed). */
export type RenderTemplates = (staff: StaffPrincipal, flash: Flash, typed?: TypedSms) => Promise<string>;

/** Survey kinds go by SMS only as a link to their answer page; they have no chat wording on this page. */
export const SURVEY_SMS_KINDS: Record<string, string> = {
  visit_survey: '到店满意度回访', visit_survey_reminder: '到店回访提醒', delivery_survey: '交车满意度回访', delivery_survey_reminder: '交车回访提醒',
};
const FIELD_LABELS: Record<SmsTemplateInvalidError['field'], string> = { kind: '消息类型', templateCode: '模板代码', text: '模板内容', params: '参数对应' };

/** The provider whose placeholders and template codes the store's SMS templates use: the running SMS channel's, else none yet. */
export function smsStyleOf(ctx: AppContext): SmsTemplateStyle | null {
  const sms = ctx.channels.find((channel) => channel.channel === 'SMS');
  return sms && 'smsProvider' in sms && (sms.smsProvider === 'aliyun' || sms.smsProvider === 'tencent') ? sms.smsProvider : null;
}

/** `name=customerName` lines for a stored template's parameters. */
const paramLines = (params: Readonly<Record<string, string>>): string => Object.entries(params).map(([p, v]) => `${p}=${v}`).join('\n');

/**
 * The SMS column of one kind: its approved template (code, text, which variable fills each
 * parameter) or "not by SMS", and the form to set or remove it.
 */
export function smsTemplateSection(kind: string, own: SmsTemplate | undefined, typed: TypedSms | undefined, ctx: { style: SmsTemplateStyle | null; linkBase: string }): SafeHtml {
  const spec = SMS_KINDS[kind];
  if (!spec) return html``;
  const shown = typed?.kind === kind ? typed : own ? { templateCode: own.templateCode, text: own.text, params: paramLines(own.params) } : { templateCode: '', text: '', params: '' };
  const path = `/admin/templates/${kind}/sms`;
  const example = ctx.style === 'tencent' ? '{1}' : '${name}';
  const hints = [
    spec.purpose === 'MARKETING' ? html`<li>营销短信：模板中必须包含退订提示“回T退订”，且只发给同意接收营销信息的客户。</li>` : '',
    spec.linkVariable ? html`<li>模板中必须包含答题链接 <code>${ctx.linkBase}/s/${ctx.style === 'tencent' ? '{n}' : '${code}'}</code>，该参数对应 <code>${spec.linkVariable}</code>（运营商不允许在参数中传链接）。</li>` : '',
  ];
  return html`<section class="sms-template" data-sms-template="${kind}"><h3>短信 · ${own ? html`<span class="source own">模板 ${own.templateCode}</span>` : html`<span class="source none">未设置，不通过短信发送</span>`}</h3>
<ul class="hints"><li>请填写已在短信服务商审核通过的模板：模板代码、模板内容（占位符如 <code>${example}</code>，不含签名【】），以及每个参数对应的变量（每行一个，如 <code>name=customerName</code>）。可用变量：${spec.variables.map((v) => html`<code>${v}</code> `)}</li>${hints}</ul>
<form method="post" action="${path}"><label>模板代码 <input name="templateCode" value="${shown.templateCode}" maxlength="40" required></label>
<label>模板内容 <textarea name="text" rows="3" maxlength="500" required>
${shown.text}</textarea></label>
<label>参数对应 <textarea name="params" rows="3" maxlength="500">
${shown.params}</textarea></label>
<button type="submit">保存短信模板</button></form>
${own ? html`<form method="post" action="${path}/delete"><button type="submit">不再通过短信发送</button></form>` : ''}
</section>`;
}

/** `POST /admin/templates/<kind>/sms` (save, validated against the kind) and `…/sms/delete`, audited. */
export function registerSmsTemplateRoutes(
  app: FastifyInstance, ctx: AppContext, page: { guard: (request: FastifyRequest, reply: FastifyReply) => Promise<StaffPrincipal | null>; render: RenderTemplates; label: (kind: string) => string },
): void {
  const { guard, render, label } = page;
  const send = async (reply: FastifyReply, status: number, body: Promise<string>) => reply.code(status).type('text/html; charset=utf-8').send(await body);

  app.post<{ Params: { kind: string } }>('/admin/templates/:kind/sms', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const { kind } = request.params;
    if (!Object.hasOwn(SMS_KINDS, kind)) return reply.code(404).send({ error: 'Not found' });
    const input: SmsTemplateInput = {
      templateCode: formText(request.body, 'templateCode', { max: 40 }),
      text: formText(request.body, 'text', { max: 600, multiline: true }),
      params: formText(request.body, 'params', { max: 600, multiline: true }),
    };
    try {
      const template = validateSmsTemplate(kind, input, { style: smsStyleOf(ctx), linkBase: ctx.publicBaseUrl });
      await ctx.db.$transaction(async (tx) => {
        const before = (await smsTemplatesOf(tx, staff.storeId)).get(kind) ?? null;
        await saveSmsTemplate(tx, staff.storeId, template);
        await recordAudit(tx, { storeId: staff.storeId, actorStaffId: staff.staffId, action: 'sms_template.saved', entity: 'sms_template', entityId: kind, details: { before, after: template }, at: ctx.clock.now() });
      });
    } catch (error) {
      if (!(error instanceof SmsTemplateInvalidError)) throw error;
      return send(reply, 400, render(staff, { ok: false, text: `${label(kind)}的短信模板未保存（${FIELD_LABELS[error.field]}）：${error.message}` }, { kind, ...input }));
    }
    return send(reply, 200, render(staff, { ok: true, text: `已保存${label(kind)}的短信模板，之后不能通过聊天送达的客户将收到短信。` }));
  });

  app.post<{ Params: { kind: string } }>('/admin/templates/:kind/sms/delete', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const { kind } = request.params;
    if (!Object.hasOwn(SMS_KINDS, kind)) return reply.code(404).send({ error: 'Not found' });
    const removed = await ctx.db.$transaction(async (tx) => {
      const own = await tx.smsTemplate.findUnique({ where: { storeId_kind: { storeId: staff.storeId, kind } } });
      if (!own) return false;
      await tx.smsTemplate.delete({ where: { id: own.id } });
      await recordAudit(tx, { storeId: staff.storeId, actorStaffId: staff.staffId, action: 'sms_template.removed', entity: 'sms_template', entityId: kind, details: { before: own.templateCode }, at: ctx.clock.now() });
      return true;
    });
    return send(reply, 200, render(staff, { ok: true, text: removed ? `${label(kind)}不再通过短信发送。` : `${label(kind)}本来就没有短信模板。` }));
  });
}
