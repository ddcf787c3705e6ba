import cookie from '@fastify/cookie';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { RegistrationRateLimitedError } from '../../core/registration/registration-limits.ts';
import { RegistrationInvalidError } from '../../core/registration/registration-request.ts';
import { TextRefusedError } from '../../core/text/sanitize-text.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { refuseNulCharacters } from './refuse-nul-characters.ts';
import { tooManyRequests } from './too-many-requests.ts';
import { registerAdminLogin } from './admin/admin-auth.ts';
import { registerCustomerImportPage } from './admin/customer-import-page.ts';
import { registerCustomersPage } from './admin/customers-page.ts';
import { registerLeadPage } from './admin/lead-page.ts';
import { registerLeadsPage } from './admin/leads-page.ts';
import { registerOrdersPage } from './admin/orders-page.ts';
import { registerOutboxPage } from './admin/outbox-page.ts';
import { registerPrivacyPage } from './admin/privacy-page.ts';
import { registerQrCodesPage } from './admin/qr-codes-page.ts';
import { registerReportExports } from './admin/report-exports.ts';
import { registerReportsPage } from './admin/reports-page.ts';
import { registerStaffPage } from './admin/staff-page.ts';
import { registerStorePage } from './admin/store-page.ts';
import { registerStaffAccounts } from './admin/staff-accounts.ts';
import { registerStaffConsole } from './admin/staff-console-page.ts';
import { registerTemplatesPage } from './admin/templates-page.ts';
import { registerTicketsPage } from './admin/tickets-page.ts';
import { registerVoucherDesk } from './admin/voucher-desk-page.ts';
import { registerAssets } from '../channels/web/assets-route.ts';
import { secureCookies } from './request-origin.ts';

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Builds the one HTTP server: each running channel's routes (web pages and APIs, webhooks), admin pages. Not listening yet. */
export function buildServer(ctx: AppContext): FastifyInstance {
  // X-Forwarded-For is believed only from the proxies listed in TRUSTED_PROXIES: anyone else could name any address.
  const trusted = ctx.config.TRUSTED_PROXIES;
  // A JSON body with a `__proto__` or `constructor.prototype` key is valid JSON: those keys are dropped while parsing (never set on the prototype), not refused as invalid.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: trusted.length > 0 ? trusted : false, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' });
  app.register(cookie);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  // Over https, browsers are told to keep to https (HSTS): no downgrade to plain http on the showroom Wi-Fi.
  const headers = secureCookies(ctx.publicBaseUrl) ? { ...SECURITY_HEADERS, 'strict-transport-security': 'max-age=31536000' } : SECURITY_HEADERS;
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(headers);
  });
  refuseNulCharacters(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RegistrationInvalidError) {
      return reply.code(400).send({ error: 'Invalid registration', fields: error.fields });
    }
    if (error instanceof RegistrationRateLimitedError) return tooManyRequests(reply, error.retryAfterSeconds);
    if (error instanceof TextRefusedError) return reply.code(400).send({ error: 'Invalid request', fields: { [error.field ?? 'body']: error.message } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const what = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? unsupportedMediaType(request.headers['content-type']) : error.message;
      return reply.code(error.statusCode).send({ error: what, fields: { body: what } });
    }
    ctx.logger.error({ err: error, url: request.url }, 'request failed');
    return reply.code(500).send({ error: 'Internal error: nothing was saved; please try again', fields: {} });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found' }));

  registerHealthRoutes(app, ctx);
  registerAssets(app);
  for (const channel of ctx.channels) channel.registerRoutes(app, ctx);
  registerAdminLogin(app, ctx);
  registerVoucherDesk(app, ctx);
  registerOutboxPage(app, ctx);
  registerStaffConsole(app, ctx);
  registerOrdersPage(app, ctx);
  registerTemplatesPage(app, ctx);
  registerTicketsPage(app, ctx);
  registerStaffPage(app, ctx);
  registerStaffAccounts(app, ctx);
  registerQrCodesPage(app, ctx);
  registerPrivacyPage(app, ctx);
  registerLeadsPage(app, ctx);
  registerLeadPage(app, ctx);
  registerCustomerImportPage(app, ctx);
  registerCustomersPage(app, ctx);
  registerStorePage(app, ctx);
  registerReportsPage(app, ctx);
  registerReportExports(app, ctx);
  return app;
}

/** Names the rule a body of an unknown content type broke, and what each kind of address takes. */
function unsupportedMediaType(contentType: string | undefined): string {
  return `content-type "${(contentType ?? '').slice(0, 60)}" is not accepted here: the web APIs take JSON (application/json), the admin forms application/x-www-form-urlencoded`;
}
