import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AddressLimiter } from '../../../core/limits/address-limiter.ts';
import type { IdentityProof } from '../../../core/registration/phone-proof.ts';
import { registerCustomer, type RegistrationOrigin } from '../../../core/registration/register-customer.ts';
import { registrationLimitsFrom } from '../../../core/registration/registration-limits.ts';
import { parseRegistrationRequest, RegistrationInvalidError } from '../../../core/registration/registration-request.ts';
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
 * consultant.
 */
export function registerRegistrationApi(app: FastifyInstance, ctx: AppContext): void {
  const perAddress = new AddressLimiter(ctx.clock, { perMinute: ctx.config.REGISTRATIONS_PER_ADDRESS_PER_MINUTE });
  const limits = registrationLimitsFrom(ctx.config);
  app.post('/api/registrations', async (request, reply) => {
    const turn = perAddress.take(request.ip);
    if (!turn.allowed) return tooManyRequests(reply, turn.retryAfterSeconds);
    const registration = parseRegistrationRequest(request.body);
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const bound = boundOrigin(ctx, (request.query as Record<string, unknown> | undefined)?.w, locale);
    const chatId = readWebSession(request);
    const proof = await smsProof(ctx, registration.phone, request.body);
    const origin: RegistrationOrigin = bound ?? { channel: 'WEB', ...(chatId ? { chatId } : {}), surface: chatId ? 'web-form' : 'api', locale };
    const result = await registerCustomer(ctx.db, ctx.clock, registration, { ...origin, ...(proof ? { proof } : {}) }, limits);
    ctx.logger.info({ reference: result.reference, status: result.status }, 'registration by form');
    return reply.code(result.status === 'existing' ? 200 : 201).send({ reference: result.reference, voucher: result.voucher, voucherCode: result.voucherCode });
  });
}

/** An SMS one-time code sent with the registration (`phoneCode`), verified when SMS proof is available. */
async function smsProof(ctx: AppContext, phone: string, body: unknown): Promise<IdentityProof | null> {
  const code = (body as { phoneCode?: unknown }).phoneCode;
  if (!ctx.phoneProof.available || typeof code !== 'string' || !/^\d{4,8}$/.test(code)) return null;
  return (await ctx.phoneProof.verify(phone, code, ctx.clock.now())) ? { method: 'sms_code', phone } : null;
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
