import cookie from '@fastify/cookie';
import formBody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { registerErrorPages } from './error-pages.tsx';
import { refuseNulCharacters } from './refuse-nul-characters.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerAdminStylesheet } from './admin/ui/stylesheet-route.ts';
import { registerAdminLogin } from './admin/admin-auth.ts';
import { registerCustomerImportPage } from './admin/customer-import-page.ts';
import { registerCustomersPage } from './admin/customers-page.ts';
import { registerLeadPage } from './admin/lead-page.ts';
import { registerLeadsPage } from './admin/leads-page.ts';
import { ordersRoutes } from './admin/orders-routes.tsx';
import { outboxRoutes } from './admin/outbox-routes.tsx';
import { registerPrivacyPage } from './admin/privacy-page.ts';
import { qrCodesRoutes } from './admin/qr-codes-routes.tsx';
import { registerReportExports } from './admin/report-exports.ts';
import { registerReportsPage } from './admin/reports-page.ts';
import { staffRoutes } from './admin/staff-routes.tsx';
import { registerStorePage } from './admin/store-page.ts';
import { staffConsoleRoutes } from './admin/staff-console-routes.tsx';
import { templatesRoutes } from './admin/templates-routes.tsx';
import { ticketsRoutes } from './admin/tickets-routes.tsx';
import { voucherDeskRoutes } from './admin/voucher-desk-routes.tsx';
import { registerAssets } from '../channels/web/assets-route.ts';

/** Builds the one HTTP server: each running channel's routes (web pages and APIs, webhooks), admin pages. Not listening yet. */
export function buildServer(ctx: AppContext): FastifyInstance {
  // X-Forwarded-For is believed only from the proxies listed in TRUSTED_PROXIES: anyone else could name any address.
  const trusted = ctx.config.TRUSTED_PROXIES;
  // A JSON body with a `__proto__` or `constructor.prototype` key is valid JSON: those keys are dropped while parsing (never set on the prototype), not refused as invalid.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: trusted.length > 0 ? trusted : false, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' });
  app.register(cookie);
  // Admin forms: a repeated key (`tag=a&tag=b`) arrives as an array; each page's zod schema says what it takes.
  app.register(formBody);
  registerSecurityHeaders(app, ctx.publicBaseUrl);
  refuseNulCharacters(app);
  registerErrorPages(app, ctx);
  registerHealthRoutes(app, ctx);
  registerAssets(app);
  registerAdminStylesheet(app);
  for (const channel of ctx.channels) channel.registerRoutes(app, ctx);
  registerAdminLogin(app, ctx);
  app.register(voucherDeskRoutes, { ctx });
  app.register(outboxRoutes, { ctx });
  app.register(staffConsoleRoutes, { ctx });
  app.register(ordersRoutes, { ctx });
  app.register(templatesRoutes, { ctx });
  app.register(ticketsRoutes, { ctx });
  app.register(staffRoutes, { ctx });
  app.register(qrCodesRoutes, { ctx });
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
