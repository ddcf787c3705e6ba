import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AddressLimiter } from '../../../core/limits/address-limiter.ts';
import type { IdentityProof } from '../../../core/registration/phone-proof.ts';
import { registerCustomer, type RegistrationOrigin } from '../../../core/registration/register-customer.ts';
import { registrationLimitsFrom } from '../../../core/registration/registration-limits.ts';
import { parseRegistrationRequest, RegistrationInvalidError } from '../../../core/registration/registration-request.ts';
import { normalizePhone } from '../../../core/customers/phone.ts';
import { PHONE_CODE_RESEND_MS } from '../../../core/registration/phone-codes.ts';
import { isQrSourceCode } from '../../../core/registration/qr-source-code.ts';
import { tooManyRequests } from '../../http/too-many-requests.ts';
import { pageLocale } from './web-texts.ts';
import { readWebSession } from './web-session.ts';

/**
 * `POST /api/registrations`: 201 `{ reference, voucher, voucherCode }` for a registration
 * taken (a new one, or a known number without proof, held for the front desk: the same status
 * and shape, so the answer does not tell whether the number is known); 200 with the same shape
 * when the proven owner of the number had registered already; 400 `{ error, fields }` naming
 * each bad field; 429 with Retry-After over the per-address, per-source or per-store limit.
 * A personal link's `?w=` token (WeCom) lands the registration on that channel identity and
 * consultant. When SMS codes are offered (`ctx.phoneProof.available`), every registration needs
 * the code sent to its number (`phoneCode`, asked for at `POST /api/phone-codes`), new numbers and
 * known ones alike, so the answers cannot tell them apart.
 */
export function registerRegistrationApi(app: FastifyInstance, ctx: AppContext): void {
  registerPhoneCodeApi(app, ctx);
  const perAddress = new AddressLimiter(ctx.clock, { perMinute: ctx.config.REGISTRATIONS_PER_ADDRESS_PER_MINUTE });
  const limits = registrationLimitsFrom(ctx.config);
  app.post('/api/registrations', async (request, reply) => {
    const turn = perAddress.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const registration = parseRegistrationRequest(request.body);
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const bound = boundOrigin(ctx, (request.query as Record<string, unknown> | undefined)?.w, locale);
    const chatId = readWebSession(request);
    const proof = await smsProof(ctx, formRequester(request), registration.phone, request.body);
    if (ctx.phoneProof.available && !proof) {
      throw new RegistrationInvalidError({ phoneCode: '请填写短信验证码：先点“获取验证码”，把短信里的 6 位数字填在这里（5 分钟内有效）。' });
    }
    const origin: RegistrationOrigin = bound ?? { channel: 'WEB', ...(chatId ? { chatId } : {}), surface: chatId ? 'web-form' : 'api', locale };
    const result = await registerCustomer(ctx.db, ctx.clock, registration, { ...origin, ...(proof ? { proof } : {}) }, limits);
    ctx.logger.info({ reference: result.reference, status: result.status }, 'registration by form');
    return reply.code(result.status === 'existing' ? 200 : 201).send({ reference: result.reference, voucher: result.voucher, voucherCode: result.voucherCode });
  });
}

/**
 * `POST /api/phone-codes` `{ phone, source }`: queues a one-time code to the number when SMS codes
 * are offered (the SMS leaves through the outbox, charged to the source's store): 202
 * `{ resendAfterSeconds }`; 400 naming a bad number or source; 429 with Retry-After (this address
 * asks too often, the number had a code within the minute, five within the hour or ten within the
 * day, or this browser asked for three within the hour); 404 when this store offers no SMS codes.
 */
function registerPhoneCodeApi(app: FastifyInstance, ctx: AppContext): void {
  const perAddress = new AddressLimiter(ctx.clock, { perMinute: ctx.config.REGISTRATIONS_PER_ADDRESS_PER_MINUTE });
  app.post('/api/phone-codes', async (request, reply) => {
    if (!ctx.phoneProof.available) return reply.code(404).send({ error: 'SMS codes are not offered here: register without one.' });
    const turn = perAddress.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const body = request.body as { phone?: unknown; source?: unknown } | null;
    const phone = typeof body?.phone === 'string' ? normalizePhone(body.phone) : null;
    if (!phone) return reply.code(400).send({ error: 'phone: not a mobile number', fields: { phone: '请填写正确的手机号：11 位大陆手机号，例如 13812345678。' } });
    const code = body?.source;
    const source = isQrSourceCode(code) ? await ctx.db.qrSource.findUnique({ where: { code }, select: { storeId: true, active: true } }) : null;
    if (!source?.active) return reply.code(400).send({ error: 'source: not an active QR source code', fields: { source: '这个登记码无效，请重新扫描门店海报上的二维码。' } });
    const now = ctx.clock.now();
    const outcome = await ctx.db.$transaction((tx) => ctx.phoneProof.requestCode(tx, { phone, requester: formRequester(request), storeId: source.storeId, now }));
    if (outcome.queued) return reply.code(202).send({ resendAfterSeconds: PHONE_CODE_RESEND_MS / 1000 });
    return tooManyRequests(reply, Math.ceil(outcome.retryAfterMs / 1000), '验证码发送太频繁，请稍后再试（每个号码每分钟 1 条、每小时 5 条）。');
  });
}

/** Who asks for and types a code on the H5 form: the browser's web session (a code counts only in the browser that asked for it). */
function formRequester(request: FastifyRequest): string {
  return `form:${readWebSession(request) ?? 'anonymous'}`;
}

/** An SMS one-time code sent with the registration (`phoneCode`), checked when SMS proof is available. */
async function smsProof(ctx: AppContext, requester: string, phone: string, body: unknown): Promise<IdentityProof | null> {
  const code = (body as { phoneCode?: unknown }).phoneCode;
  if (!ctx.phoneProof.available || typeof code !== 'string' || !/^\d{4,8}$/.test(code)) return null;
  const check = await ctx.phoneProof.checkCode(ctx.db, { phone, requester, code, now: ctx.clock.now() });
  return check === 'proven' ? { method: 'sms_code', phone } : null;
}

/**
 * A personal link's `w` token (WeCom: made when the customer added a consultant): the
 * registration lands on that channel identity and that consultant. A token no running channel
 * signed (forged, expired, its channel off) is refused rather than silently dropped.
 */
function boundOrigin(ctx: AppContext, token: unknown, locale: RegistrationOrigin['locale']): RegistrationOrigin | null {
  if (token === undefined || token === '') return null;
  for (const channel of ctx.channels) {
    const binding = channel.registrationBinding?.(token);
    if (binding) return { channel: channel.channel, chatId: binding.chatId, chatProof: binding.proof, ...(binding.consultantId ? { consultantId: binding.consultantId } : {}), surface: `${channel.channel.toLowerCase()}-link`, locale };
  }
  throw new RegistrationInvalidError({ source: '这个专属登记链接已失效，请在企业微信里联系您的顾问重新获取。' });
}
