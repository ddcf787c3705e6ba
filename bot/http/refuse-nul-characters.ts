import type { FastifyInstance } from 'fastify';

/**
 * Refuses (400) a request whose path segments hold U+0000 before any handler runs. A path
 * segment is an id, code or token, and none holds one; PostgreSQL cannot store or even compare
 * text that does (SQLite can), so the lookup would fail with a server error instead of a clear
 * refusal. Texts in query strings and bodies go through core's sanitizer, which removes control
 * characters.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (Object.values(request.params ?? {}).some((value) => typeof value === 'string' && value.includes('\u0000'))) {
      await reply.code(400).send({ error: 'Invalid request: a path segment contains a NUL character (U+0000)', fields: {} });
    }
  });
}
