import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../../core/registration/registration-request.ts';
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
    const chatId = readWebSession(request);
    const result = await registerCustomer(ctx.db, ctx.clock, registration, {
      channel: 'WEB',
      ...(chatId ? { chatId } : {}),
      surface: chatId ? 'web-form' : 'api',
      locale: pageLocale(request.query, ctx.config.DEFAULT_LOCALE),
    });
    ctx.logger.info({ customerId: result.customerId, status: result.status }, 'registration by form');
    return reply.code(result.status === 'created' ? 201 : 200).send({ customerId: result.customerId, voucherCode: result.voucherCode });
  });
}
