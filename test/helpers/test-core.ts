import { inboundDeps } from '../../bot/app-context.ts';
import { FixedClock, type Clock } from '../../core/clock.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { InboundDeps } from '../../core/inbound/inbound-context.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { ensureFirstStart, type SetupResult } from '../../core/setup/first-start.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** What core functions are called with in a test: the settings, the database, the clock, the inbound pipeline's parts. */
export interface CoreContext {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  inbound: InboundDeps;
}

/** A first-started store on a fresh database, with a fixed clock: for core tests that need no HTTP server. */
export interface TestCore {
  ctx: CoreContext;
  clock: FixedClock;
  database: TestDatabase;
  setup: SetupResult;
  close(): Promise<void>;
}

/** What a helper that works on a test core or a test app (which builds on one) needs of it. */
export type CoreParts = { ctx: Pick<CoreContext, 'db' | 'inbound'>; clock: FixedClock; setup: SetupResult };

/** The instant tests start at: 2026-11-22 10:00 in Asia/Shanghai. */
export const TEST_START = '2026-11-22T02:00:00Z';

/** Builds a test core; `env` overrides settings (e.g. GIFT_STOCK). */
export async function createTestCore(env: Record<string, string> = {}): Promise<TestCore> {
  const database = await createTestDatabase();
  const config = loadConfig({ PUBLIC_BASE_URL: 'http://showroom.test', ...env, DATABASE_URL: database.url });
  const clock = new FixedClock(TEST_START);
  const setup = await ensureFirstStart(database.db, clock, config);
  const ctx = {
    config,
    db: database.db,
    clock,
    logger: silentLogger,
    inbound: inboundDeps({ config, db: database.db, clock, logger: silentLogger }),
  };
  return { ctx, clock, database, setup, close: () => database.close() };
}
