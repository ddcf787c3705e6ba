import { LOCALES, type Locale } from '../../../core/config.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from '../../../core/journeys/template-defaults.ts';
import type { StoreTemplates } from '../../../core/journeys/store-templates.ts';
import { SMS_KINDS } from '../../../core/outbox/sms-kinds.ts';
import type { SmsTemplate, SmsTemplateInput, SmsTemplateStyle } from '../../../core/outbox/sms-templates.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { ConfirmButton } from './ui/confirm-button.tsx';
import type { Flash } from './ui/flash.ts';
import { TextAreaField, TextField } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';

export const TEMPLATES_TITLE = '消息模板';
export const TEMPLATE_KIND_LIST = Object.keys(TEMPLATE_KINDS) as TemplateKind[];
export const KIND_LABELS: Record<TemplateKind, string> = {
  visit_thanks: '到店感谢',
  delivery_reminder_72h: '交车提醒（提前 72 小时）',
  delivery_reminder_24h: '交车提醒（提前 24 小时）',
  delivery_thanks: '交车感谢',
  delivery_check: '交车后回访',
  first_service_reminder: '首次保养提醒',
  birthday_greeting: '生日祝福',
  holiday_greeting: '节日祝福',
};
/** Survey kinds go by SMS only as a link to their answer page; they have no chat wording on this page. */
export const SURVEY_SMS_KINDS: Record<string, string> = {
  visit_survey: '到店满意度回访',
  visit_survey_reminder: '到店回访提醒',
  delivery_survey: '交车满意度回访',
  delivery_survey_reminder: '交车回访提醒',
};
export const LOCALE_LABELS: Record<Locale, string> = { 'zh-CN': '中文', en: '英文' };
export const VARIABLE_LABELS: Record<string, string> = {
  customerName: '客户姓名',
  honorific: '称呼',
  storeName: '门店名称',
  consultantName: '销售顾问',
  model: '车型',
  deliveryTime: '交车时间',
  address: '门店地址',
  hotline: '服务热线',
  holidayName: '节日名称',
  serviceDueDate: '保养到期日',
};

/** A refused form as typed, shown again: a chat template's body, or a kind's SMS template. */
export type TypedTemplate =
  | { kind: TemplateKind; locale: Locale; body: string }
  | ({ kind: string; locale: 'sms' } & SmsTemplateInput);

function Variables({ kind }: { kind: TemplateKind }) {
  const { required, optional } = TEMPLATE_KINDS[kind];
  const item = (name: string, isRequired: boolean) => (
    <li data-variable={name}>
      <code>{`{${name}}`}</code> {VARIABLE_LABELS[name] ?? name}
      {isRequired ? (
        <>
          {' '}
          <strong>（必填）</strong>
        </>
      ) : null}
    </li>
  );
  return (
    <ul class="variables">
      {required.map((n) => item(n, true))}
      {optional.map((n) => item(n, false))}
    </ul>
  );
}

function TemplateForm({
  kind,
  locale,
  own,
  typed,
}: {
  kind: TemplateKind;
  locale: Locale;
  own: string | undefined;
  typed: TypedTemplate | null;
}) {
  const body =
    typed?.kind === kind && typed.locale === locale && 'body' in typed
      ? typed.body
      : (own ?? DEFAULT_TEMPLATES[kind][locale]);
  const path = `/admin/templates/${kind}/${locale}`;
  return (
    <section class="template" id={`${kind}-${locale}`} data-template={`${kind}:${locale}`}>
      <h3>
        {LOCALE_LABELS[locale]} ·{' '}
        {own === undefined ? <span class="source default">默认模板</span> : <span class="source own">本店自定义</span>}
      </h3>
      <form method="post" action={path} class="form">
        <textarea
          name="body"
          rows={4}
          maxLength={1000}
          aria-label={`${KIND_LABELS[kind]}（${LOCALE_LABELS[locale]}）`}
          required
        >
          {body}
        </textarea>
        <div class="actions">
          <button type="submit">保存</button>
        </div>
      </form>
      {own === undefined ? null : (
        <ConfirmButton
          action={`${path}/reset`}
          label="恢复默认模板"
          question="本店的这段文字会被删除，之后发出的消息使用默认模板。"
        />
      )}
    </section>
  );
}

/** The page's SMS settings: the running SMS provider's style, and where answer links point. */
export interface SmsContext {
  style: SmsTemplateStyle | null;
  linkBase: string;
}

/** `name=customerName` lines for a stored template's parameters. */
const paramLines = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .map(([p, v]) => `${p}=${v}`)
    .join('\n');

/**
 * The SMS part of one kind: its approved template (code, text, which variable fills each parameter) or "not by SMS",
 * and the form to set or remove it.
 */
function SmsTemplateSection(props: {
  kind: string;
  own: SmsTemplate | undefined;
  typed: TypedTemplate | null;
  sms: SmsContext;
}) {
  const { kind, own, sms } = props;
  const spec = SMS_KINDS[kind];
  if (!spec) return null;
  const typed = props.typed?.kind === kind && props.typed.locale === 'sms' ? props.typed : null;
  const shown =
    typed ??
    (own
      ? { templateCode: own.templateCode, text: own.text, params: paramLines(own.params) }
      : { templateCode: '', text: '', params: '' });
  const path = `/admin/templates/${kind}/sms`;
  return (
    <section class="sms-template" data-sms-template={kind}>
      <h3>
        短信 ·{' '}
        {own ? (
          <span class="source own">模板 {own.templateCode}</span>
        ) : (
          <span class="source none">未设置，不通过短信发送</span>
        )}
      </h3>
      <ul class="hints">
        <li>
          请填写已在短信服务商审核通过的模板：模板代码、模板内容（占位符如{' '}
          <code>{sms.style === 'tencent' ? '{1}' : '${name}'}</code>
          ，不含签名【】），以及每个参数对应的变量（每行一个，如 <code>name=customerName</code>）。可用变量：
          {spec.variables.map((v) => (
            <>
              <code>{v}</code>{' '}
            </>
          ))}
        </li>
        {spec.purpose === 'MARKETING' ? (
          <li>营销短信：模板中必须包含退订提示“回T退订”，且只发给同意接收营销信息的客户。</li>
        ) : null}
        {spec.linkVariable ? (
          <li>
            模板中必须包含答题链接 <code>{`${sms.linkBase}/s/${sms.style === 'tencent' ? '{n}' : '${code}'}`}</code>
            ，该参数对应 <code>{spec.linkVariable}</code>（运营商不允许在参数中传链接）。
          </li>
        ) : null}
      </ul>
      <form method="post" action={path} class="form">
        <TextField
          scope={kind}
          name="templateCode"
          label="模板代码"
          value={shown.templateCode}
          maxLength={40}
          required
        />
        <TextAreaField scope={kind} name="text" label="模板内容" value={shown.text} rows={3} maxLength={500} required />
        <TextAreaField scope={kind} name="params" label="参数对应" value={shown.params} rows={3} maxLength={500} />
        <div class="actions">
          <button type="submit">保存短信模板</button>
        </div>
      </form>
      {own ? (
        <ConfirmButton
          action={`${path}/delete`}
          label="不再通过短信发送"
          question="删除这个短信模板后，这类消息不再通过短信发送。"
        />
      ) : null}
    </section>
  );
}

interface TemplatesPageProps {
  staff: StaffPrincipal;
  templates: StoreTemplates;
  sms: SmsContext;
  typed: TypedTemplate | null;
  flash: Flash | null;
}

/**
 * Every kind × locale with the store's current body, its variables and a form to change it, and each kind's SMS
 * template (the surveys have an SMS template only).
 */
export function TemplatesPage({ staff, templates, sms, typed, flash }: TemplatesPageProps) {
  const kinds: [string, string][] = [
    ...TEMPLATE_KIND_LIST.map((k): [string, string] => [k, KIND_LABELS[k]]),
    ...Object.entries(SURVEY_SMS_KINDS),
  ];
  return (
    <Layout title={TEMPLATES_TITLE} staff={staff} flash={flash} current="/admin/templates">
      <p>
        模板中的 <code>{'{变量}'}</code> 会在发送时替换为客户和门店的实际信息；标注“必填”的变量必须保留。
      </p>
      <p>
        没有聊天渠道能送达的客户（例如填写登记表后关闭了网页）会收到短信，前提是该类消息设置了已审核的短信模板
        {sms.style ? '' : '（短信渠道尚未开启，见 README 的 SMS 一节）'}。
      </p>
      <nav class="nav toc" aria-label="消息类型">
        {kinds.map(([kind, label]) => (
          <a href={`#kind-${kind}`}>{label}</a>
        ))}
      </nav>
      {kinds.map(([kind, label]) => (
        <div class="section template-kind" id={`kind-${kind}`} data-kind={kind}>
          <h2>
            {label} <small>{kind}</small>
          </h2>
          {Object.hasOwn(TEMPLATE_KINDS, kind) ? (
            <>
              <Variables kind={kind as TemplateKind} />
              {LOCALES.map((locale) => (
                <TemplateForm
                  kind={kind as TemplateKind}
                  locale={locale}
                  own={templates.own.get(`${kind}:${locale}`)}
                  typed={typed}
                />
              ))}
            </>
          ) : null}
          <SmsTemplateSection kind={kind} own={templates.sms.get(kind)} typed={typed} sms={sms} />
        </div>
      ))}
    </Layout>
  );
}
