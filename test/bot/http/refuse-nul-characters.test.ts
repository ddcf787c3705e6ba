import Fastify from 'fastify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refuseNulCharacters } from '../../../bot/http/refuse-nul-characters.ts';

function server() {
  const app = Fastify();
  refuseNulCharacters(app);
  let handled = 0;
  app.get<{ Params: { id: string } }>('/things/:id', async (request) => {
    handled += 1;
    return { id: request.params.id };
  });
  return { app, handled: () => handled };
}

describe('refuseNulCharacters', () => {
  it('refuses a NUL anywhere in a path segment before the handler runs', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), async (before, after) => {
      const { app, handled } = server();
      const response = await app.inject({ method: 'GET', url: `/things/${encodeURIComponent(`${before}\u0000${after}`)}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/NUL character/);
      expect(handled()).toBe(0);
    }), { numRuns: 50 });
  });

  it('lets everything else through, query strings included (their texts are sanitized where they are read)', async () => {
    const { app, handled } = server();
    const response = await app.inject({ method: 'GET', url: `/things/${encodeURIComponent('张伟\u0007')}?q=%00%E2%80%AE` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: '张伟\u0007' });
    expect(handled()).toBe(1);
  });
});
