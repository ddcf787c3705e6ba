import type { FastifyInstance } from 'fastify';
import { unappliedMigrations } from '../../core/db/migration-status.ts';
import { healthReport } from '../../core/health/health-report.ts';
import type { AppContext } from '../app-context.ts';

/**
 * `GET /healthz`: is the system behind this instance healthy (database, migrations, outbox,
 * inbox; see core/health/health-report.ts), for monitoring. `GET /readyz`: may this instance
 * take traffic now (started, database migrated, not shutting down), for a load balancer.
 * Both answer JSON, 200 or 503, with figures and the instance's name only, and are not cached.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async (_request, reply) => {
    const report = await healthReport(ctx.db, ctx.clock);
    return reply.code(report.healthy ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: report.healthy ? 'ok' : 'failing', instance: ctx.instance.name, phase: ctx.instance.phase, ...report });
  });

  app.get('/readyz', async (_request, reply) => {
    const { name, phase } = ctx.instance;
    let migrated = false;
    if (phase === 'ready') migrated = (await unappliedMigrations(ctx.db).catch(() => null))?.length === 0;
    const ready = phase === 'ready' && migrated;
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store').send({ ready, instance: name, phase, migrated: phase === 'ready' ? migrated : null });
  });
}
