import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_STYLESHEET } from './layout.tsx';

/** `GET /admin/ui/admin.css`: the admin pages' one stylesheet, read once at start-up. */
export function registerAdminStylesheet(app: FastifyInstance): void {
  const css = readFileSync(new URL('./admin.css', import.meta.url), 'utf8');
  app.get(ADMIN_STYLESHEET, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css),
  );
}
