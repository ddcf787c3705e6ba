import type { FastifyInstance } from 'fastify';

/**
 * Every route of a built app as `METHOD /path` (e.g. `POST /admin/orders/:id/cancel`), read
 * from Fastify's printed route tree: tests that must cover every route enumerate them here, so
 * a route added later is covered (or the test says it is not).
 */
export function routesOf(app: FastifyInstance): string[] {
  const paths: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│]*)[└├]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth === 0 ? '' : (paths[depth - 1] ?? '')}${match[2] ?? ''}`.replace(/^\/\//, '/').replace(/^([^/])/, '/$1');
    paths[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) routes.push(`${method} ${path}`);
  }
  return routes;
}
