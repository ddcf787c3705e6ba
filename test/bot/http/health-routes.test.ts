// GET /healthz and /readyz (issue #15): what a monitor and a load balancer ask an instance. Each
// failure the check names is made for real on the test's database (a message left unsent, an
// inbound update left unhandled, a migration missing, the database gone) and the answer turns
// 503 with the reason; the answer carries figures and names only, never a message, an address or
// a setting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEALTH_LIMITS } from '../../../core/health/health-report.ts';
import { OUTBOX_DISPATCHER_ROLE } from '../../../core/scheduler/leader-role.ts';
import { buildServer } from '../../../bot/http/server.ts';
import { InstanceState } from '../../../bot/instance-state.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ INSTANCE_NAME: 'showroom-2' });
});
afterEach(async () => {
  await t.close();
});

interface Health {
  status: string;
  instance: string;
  problems: string[];
  database: { reachable: boolean };
  migrations: { current: boolean | null; pending: string[] };
  outbox: { dispatcher: string | null; lagMs: number | null; oldestDueAt: string | null; oldestDueAgeMs: number | null };
  inbox: { backlog: number | null; oldestAgeMs: number | null };
}

async function health(app = t.app): Promise<{ status: number; body: Health; raw: string; cache: unknown }> {
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  return { status: response.statusCode, body: response.json<Health>(), raw: response.body, cache: response.headers['cache-control'] };
}

describe('GET /healthz', () => {
  it('answers 200 with the figures of a quiet system, not cached', async () => {
    await t.ctx.db.lease.create({ data: { name: OUTBOX_DISPATCHER_ROLE, owner: 'showroom-1#0a1b2c3d', expiresAt: new Date(t.clock.now().getTime() + 15_000) } });
    const { status, body, cache } = await health();
    expect(status).toBe(200);
    expect(cache).toBe('no-store');
    expect(body).toMatchObject({
      status: 'ok', instance: 'showroom-2', problems: [], database: { reachable: true }, migrations: { current: true, pending: [] },
      outbox: { dispatcher: 'showroom-1', lagMs: 0, oldestDueAt: null }, inbox: { backlog: 0, oldestAgeMs: null },
    });
  });

  it('turns 503 when a sendable message has waited longer than the limit, and names no message or chat', async () => {
    const now = t.clock.now();
    await queueText(t.ctx.db, t.setup.storeId, 'secret-key-4711', now, { purpose: 'REPLY', channel: 'WEB', address: 'chat-9876' });
    t.clock.advance(HEALTH_LIMITS.outboxLagMs - 1_000);
    const early = await health();
    expect(early.status).toBe(200);
    expect(early.body.outbox).toMatchObject({ lagMs: HEALTH_LIMITS.outboxLagMs - 1_000, oldestDueAt: now.toISOString(), dispatcher: null });

    t.clock.advance(2_000);
    const late = await health();
    expect(late.status).toBe(503);
    expect(late.body.status).toBe('failing');
    expect(late.body.problems).toEqual([`the outbox is ${(HEALTH_LIMITS.outboxLagMs + 1_000) / 1000} s behind (limit ${HEALTH_LIMITS.outboxLagMs / 1000} s)`]);
    for (const secret of ['secret-key-4711', 'chat-9876', t.ctx.config.DATABASE_URL]) expect(late.raw).not.toContain(secret);
  });

  it('counts a message waiting for its rate-limit turn as due, but not as lag', async () => {
    const now = t.clock.now();
    await queueText(t.ctx.db, t.setup.storeId, 'paced', now, { purpose: 'REPLY', channel: 'WEB', address: 'chat-1' });
    await t.ctx.db.messageIntent.updateMany({ data: { nextAttemptAt: new Date(now.getTime() + 10 * 60_000) } });
    t.clock.advance(5 * 60_000);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.outbox).toMatchObject({ lagMs: 0, oldestDueAgeMs: 5 * 60_000 });
  });

  it('turns 503 when an inbound update has waited longer than the limit', async () => {
    await t.ctx.db.inboundUpdate.create({ data: { channel: 'TELEGRAM', updateId: '1', chatId: '42', payload: '{"text":"我的手机号 13812345678"}', receivedAt: t.clock.now() } });
    expect((await health()).body.inbox).toEqual({ backlog: 1, oldestAgeMs: 0 });
    t.clock.advance(HEALTH_LIMITS.inboxAgeMs + 1);
    const late = await health();
    expect(late.status).toBe(503);
    expect(late.body.problems[0]).toMatch(/^1 inbound message\(s\) wait, the oldest for \d+ s/);
    expect(late.raw).not.toContain('13812345678');
  });

  it('turns 503 when a committed migration is missing from the database', async () => {
    const [last] = await t.ctx.db.$queryRawUnsafe<{ name: string }[]>('SELECT "migration_name" AS "name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1');
    await t.ctx.db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = '${last?.name ?? ''}'`);
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.migrations).toEqual({ current: false, pending: [last?.name] });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });

  it('turns 503 when the database does not answer', async () => {
    const gone = new Proxy(t.ctx.db, {
      get(target, key, receiver) {
        if (key === '$queryRawUnsafe') return () => Promise.reject(new Error(`connect ECONNREFUSED ${t.ctx.config.DATABASE_URL}`));
        return Reflect.get(target, key, receiver);
      },
    });
    const app = buildServer({ ...t.ctx, db: gone });
    try {
      const { status, body, raw } = await health(app);
      expect(status).toBe(503);
      expect(body.problems).toEqual(['the database does not answer']);
      expect(body.database.reachable).toBe(false);
      expect(raw).not.toContain(t.ctx.config.DATABASE_URL);
    } finally {
      await app.close();
    }
  });
});

describe('GET /readyz', () => {
  const ready = async (instance: InstanceState) => {
    const app = buildServer({ ...t.ctx, instance });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      return { status: response.statusCode, body: response.json<{ ready: boolean; phase: string; instance: string }>() };
    } finally {
      await app.close();
    }
  };

  it('answers 200 only between start-up and shutdown', async () => {
    const instance = new InstanceState('showroom-3');
    expect(await ready(instance)).toMatchObject({ status: 503, body: { ready: false, phase: 'starting', instance: 'showroom-3' } });
    instance.markReady();
    expect(await ready(instance)).toMatchObject({ status: 200, body: { ready: true, phase: 'ready' } });
    instance.markStopping();
    expect(await ready(instance)).toMatchObject({ status: 503, body: { ready: false, phase: 'stopping' } });
    instance.markReady();
    expect((await ready(instance)).body.phase).toBe('stopping'); // a stopping instance never comes back
  });
});
