import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest, RegistrationInvalidError } from '../../../core/registration/registration-request.ts';
import type { RegistrationOrigin } from '../../../core/registration/register-customer.ts';
import { pageLocale } from './web-texts.ts';
import { readWebSession } from './web-session.ts';

/**
 * `POST /api/registrations`: 201 `{ customerId, voucherCode }` for a new registration, 200
 * with the same body when the person already registered for the campaign, 400
 * `{ error, fields }` naming each bad field (RegistrationInvalidError, via the error handler).
 */
export function registerRegistrationApi(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/registrations', async (request, reply) => {
    const registration = parseRegistrationRequest(request.body);
    const locale = pageLocale(request.query, ctx.config.DEFAULT_LOCALE);
    const bound = boundOrigin(ctx, (request.query as Record<string, unknown> | undefined)?.w, locale);
    const chatId = readWebSession(request);
    const result = await registerCustomer(ctx.db, ctx.clock, registration, bound ?? {
      channel: 'WEB',
      ...(chatId ? { chatId } : {}),
      surface: chatId ? 'web-form' : 'api',
      locale,
    });
    ctx.logger.info({ customerId: result.customerId, status: result.status }, 'registration by form');
    return reply.code(result.status === 'created' ? 201 : 200).send({ customerId: result.customerId, voucherCode: result.voucherCode });
  });
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
    if (binding) return { channel: channel.channel, chatId: binding.chatId, ...(binding.consultantId ? { consultantId: binding.consultantId } : {}), surface: `${channel.channel.toLowerCase()}-link`, locale };
  }
  throw new RegistrationInvalidError({ source: '这个专属登记链接已失效，请在企业微信里联系您的顾问重新获取。' });
}
