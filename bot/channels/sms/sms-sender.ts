import type { Database } from '../../../core/db/open-database.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../../core/outbox/channel-port.ts';
import type { RateLimit } from '../../../core/outbox/rate-limiter.ts';
import { PHONE_CODE_ID_VARIABLE, type SmsPhoneCodes } from '../../../core/registration/phone-codes.ts';
import { PHONE_CODE_KIND } from '../../../core/outbox/sms-kinds.ts';
import { fillSmsParams, smsPlaceholders, styleOf, type SmsTemplate } from '../../../core/outbox/sms-templates.ts';
import { classifySmsResult, LOCAL_CHECK_CODE, type SmsProvider } from './sms-provider.ts';
import type { SmsTemplateSpec } from './sms-template-params.ts';

/** Mainland mobiles, as `normalizePhone` writes them. */
const MAINLAND_MOBILE = /^\+861\d{10}$/;

/** What the SMS sender needs besides its provider. */
export interface SmsSenderOptions {
  /** The registered signature (签名), shown as 【…】. */
  signName: string;
  /** Whether the account may text numbers outside the mainland. */
  international: boolean;
  /** One-time codes (PHONE_CODE_KIND): the approved verification template and the codes' digits; absent: none are sent. */
  phoneCodes?: { templateCode: string; codes: SmsPhoneCodes };
}

/** The verification template's one variable, as both providers approve it (Tencent: `{1}`). */
const CODE_TEMPLATE: SmsTemplateSpec = { type: 'verification', variables: [{ name: 'code', kind: 'digits-code' }] };

const refused = (error: string): SendOutcome => ({ status: 'rejected', error: `${LOCAL_CHECK_CODE}: ${error}` });

/**
 * The SMS channel's side of the outbox. An SMS is the store's approved template for the
 * message's kind, its parameters filled from the variables the message was rendered from: the
 * rendered chat text itself never goes by SMS. Providers do not de-duplicate by our key, so a
 * send without an answer is never repeated blindly (a delivery receipt settles it later). One
 * message a minute per number keeps under the providers' per-number limits.
 */
export class SmsSender implements ChannelSender {
  readonly channel = 'SMS' as const;
  readonly resendIsSafe = false;
  readonly canPush = true;

  constructor(
    private readonly db: Database,
    private readonly provider: SmsProvider,
    private readonly options: SmsSenderOptions,
  ) {}

  addressRefusal(address: string): string | null {
    if (MAINLAND_MOBILE.test(address) || this.options.international) return null;
    return 'an international number, and the SMS account texts mainland mobiles only (SMS_INTERNATIONAL)';
  }

  rateLimits(envelope: Envelope): RateLimit[] {
    return [{ key: `sms:number:${envelope.address}`, capacity: 1, perMs: 60_000 }, { key: 'sms:account', capacity: 20, perMs: 1_000 }];
  }

  async send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> {
    const intent = await this.db.messageIntent.findUnique({ where: { id: envelope.intentId }, select: { storeId: true, kind: true, purpose: true, variables: true } });
    if (!intent) return refused('the message is gone');
    if (intent.kind === PHONE_CODE_KIND) return this.sendCode(envelope, intent.variables, signal);
    const row = await this.db.smsTemplate.findUnique({ where: { storeId_kind: { storeId: intent.storeId, kind: intent.kind } } });
    if (!row) return refused(`no approved SMS template for ${intent.kind}`);
    const template: SmsTemplate = { kind: row.kind, templateCode: row.templateCode, text: row.text, params: JSON.parse(row.params) as Record<string, string> };
    if (styleOf(template.text) !== this.provider.name && smsPlaceholders(template.text).length > 0) {
      return refused(`the SMS template for ${intent.kind} is written for the other provider: enter the ${this.provider.name} template on /admin/templates`);
    }
    const filled = fillSmsParams(template, intent.variables ? (JSON.parse(intent.variables) as Record<string, string>) : {});
    if (!filled.ok) return refused(`the message has no value for ${filled.missing}, which the SMS template for ${intent.kind} needs`);
    const spec: SmsTemplateSpec = {
      type: intent.purpose === 'MARKETING' ? 'marketing' : 'notification',
      variables: smsPlaceholders(template.text, this.provider.name).map((name) => ({ name, kind: 'text' })),
    };
    const result = await this.provider.send({
      phoneE164: envelope.address, signName: this.options.signName, templateCode: template.templateCode, template: spec, params: filled.params, outId: envelope.dedupeKey,
    }, signal);
    return classifySmsResult(result);
  }

  /** A one-time code with the verification template, its digits derived now from the code's row (they are stored nowhere). */
  private async sendCode(envelope: Envelope, variables: string | null, signal: AbortSignal): Promise<SendOutcome> {
    const { phoneCodes } = this.options;
    if (!phoneCodes) return refused('no verification template is set (SMS_CODE_TEMPLATE)');
    const codeId = variables ? (JSON.parse(variables) as Record<string, unknown>)[PHONE_CODE_ID_VARIABLE] : undefined;
    if (typeof codeId !== 'string') return refused('the code message does not name its code');
    const result = await this.provider.send({
      phoneE164: envelope.address, signName: this.options.signName, templateCode: phoneCodes.templateCode, template: CODE_TEMPLATE,
      params: { code: phoneCodes.codes.digits(codeId, envelope.address) }, outId: envelope.dedupeKey,
    }, signal);
    return classifySmsResult(result);
  }
}
