import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
const require = createRequire(import.meta.url);

/**
 * Libraries the pages load, served from node_modules by this server (a showroom's network may
 * not reach a CDN): Chart.js's self-contained UMD build, next to its package entry.
 */
const VENDOR: Record<string, () => string> = {
  'chart.umd.min.js': () => path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

/** `GET /assets/:file`: the web pages' stylesheet and scripts; `GET /assets/vendor/:file`: libraries from node_modules; read once at start-up. */
export function registerAssets(app: FastifyInstance): void {
  const files = new Map<string, { type: string; body: string }>();
  for (const name of ['style.css', 'registration-form.js', 'web-chat.js', 'staff-console.js', 'customer-import.js', 'report-charts.js']) {
    files.set(name, { type: TYPES[path.extname(name)] ?? 'application/octet-stream', body: readFileSync(path.join(ASSETS_DIR, name), 'utf8') });
  }
  const vendor = new Map(Object.entries(VENDOR).map(([name, locate]) => [name, readFileSync(locate(), 'utf8')]));
  app.get<{ Params: { file: string } }>('/assets/vendor/:file', async (request, reply) => {
    const body = vendor.get(request.params.file);
    if (body === undefined) return reply.code(404).send({ error: 'Not found' });
    return reply.type(TYPES['.js'] ?? '').header('cache-control', 'public, max-age=86400').send(body);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) return reply.code(404).send({ error: 'Not found' });
    return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
  });
}
