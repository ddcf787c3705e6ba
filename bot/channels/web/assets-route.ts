import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** `GET /assets/:file`: the web pages' stylesheet and scripts, read once at start-up. */
export function registerAssets(app: FastifyInstance): void {
  const files = new Map<string, { type: string; body: string }>();
  for (const name of ['style.css', 'registration-form.js', 'web-chat.js', 'staff-console.js', 'customer-import.js']) {
    files.set(name, { type: TYPES[path.extname(name)] ?? 'application/octet-stream', body: readFileSync(path.join(ASSETS_DIR, name), 'utf8') });
  }
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) return reply.code(404).send({ error: 'Not found' });
    return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
  });
}
