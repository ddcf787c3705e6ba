import type { FastifyInstance } from 'fastify';
import { createAppContext, type AppContext } from '../../bot/app-context.ts';
import { buildServer } from '../../bot/http/server.ts';
import { FixedClock } from '../../core/clock.ts';
import { loadConfig } from '../../core/config.ts';
import { silentLogger } from '../../core/logger.ts';
import { ensureFirstStart, type SetupResult } from '../../core/setup/first-start.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** A first-started app on a fresh database, with a fixed clock, ready for `app.inject`. */
export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: FixedClock;
  database: TestDatabase;
  setup: SetupResult;
  close(): Promise<void>;
}

/** The instant tests start at: 2026-11-22 10:00 in Asia/Shanghai. */
export const TEST_START = '2026-11-22T02:00:00Z';

/** Builds a test app; `env` overrides settings (e.g. GIFT_STOCK). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ PUBLIC_BASE_URL: 'http://showroom.test', ...env, DATABASE_URL: database.url });
  const clock = new FixedClock(TEST_START);
  const setup = await ensureFirstStart(database.db, clock, config);
  const ctx = createAppContext({ config, db: database.db, clock, logger: silentLogger, publicBaseUrl: config.PUBLIC_BASE_URL ?? '' });
  const app = buildServer(ctx);
  await app.ready();
  return {
    app, ctx, clock, database, setup,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Counts of every table a registration writes to (`intents`: thank-yous); "nothing new" means these do not move. */
export async function registrationCounts(db: AppContext['db']): Promise<Record<string, number>> {
  const [customers, identities, visits, registrations, vouchers, consents, intents, surveys] = await Promise.all([
    db.customer.count(), db.channelIdentity.count(), db.visit.count(), db.registration.count(),
    db.voucher.count(), db.consentRecord.count(), db.messageIntent.count({ where: { kind: 'visit_thanks' } }), db.survey.count(),
  ]);
  return { customers, identities, visits, registrations, vouchers, consents, intents, surveys };
}
