import type { FastifyInstance } from 'fastify';
import { createAppContext, type AppContext } from '../../bot/app-context.ts';
import { CHANNEL_MODULES } from '../../bot/channels/channel-catalog.ts';
import type { ChannelDeps, OpenChannel } from '../../bot/channels/channel-module.ts';
import { openWebChannel } from '../../bot/channels/web/web-channel.ts';
import { buildServer } from '../../bot/http/server.ts';
import type { FixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/logger.ts';
import type { PhoneProof } from '../../core/registration/phone-proof.ts';
import type { SetupResult } from '../../core/setup/first-start.ts';
import { createTestCore } from './test-core.ts';
import type { TestDatabase } from './test-database.ts';

export { TEST_START } from './test-core.ts';

/** A first-started app on a fresh database, with a fixed clock, ready for `app.inject`. */
export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: FixedClock;
  database: TestDatabase;
  setup: SetupResult;
  close(): Promise<void>;
}

/**
 * Builds a test app (a test core, see test-core.ts, with its HTTP server) with the web channel
 * running and the others off; `env` overrides core settings (e.g. GIFT_STOCK); `phoneProof`
 * offers SMS codes (their SMS wait in the outbox: no channel sends them).
 */
export async function createTestApp(env: Record<string, string> = {}, options: { phoneProof?: PhoneProof } = {}): Promise<TestApp> {
  const { ctx: core, clock, database, setup } = await createTestCore(env);
  const config = core.config;
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? '';
  const channels = [openWebChannel({ db: database.db, clock, publicBaseUrl })];
  const channelsOff = CHANNEL_MODULES.filter((module) => module.channel !== 'WEB');
  const ctx = createAppContext({ config, db: database.db, clock, logger: silentLogger, publicBaseUrl, channels, channelsOff, ...(options.phoneProof ? { phoneProof: options.phoneProof } : {}) });
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

/** What a channel module gets to open itself in a test app; stored updates wait for the test to work through them. */
export function channelDeps(t: TestApp): ChannelDeps {
  return { db: t.ctx.db, clock: t.clock, logger: silentLogger, inbound: t.ctx.inbound, publicBaseUrl: t.ctx.publicBaseUrl, onStored: () => undefined, alertStoreId: t.setup.storeId };
}

/**
 * Counts a channel the test opened as running, as main.ts does: the admin pages offer its links.
 * Its routes are on servers built after this (buildServer(t.ctx)), not on `t.app`.
 */
export function connectChannel(t: TestApp, channel: OpenChannel): void {
  t.ctx.channels = [...t.ctx.channels, channel];
  if (channel.phoneProof) { // as main.ts takes it from the running channels, for the form and the chats
    t.ctx.phoneProof = channel.phoneProof;
    t.ctx.inbound.phoneProof = channel.phoneProof;
  }
  t.ctx.channelsOff = t.ctx.channelsOff.filter((module) => module.channel !== channel.channel);
}

/** Counts of every table a registration writes to (`intents`: thank-yous); "nothing new" means these do not move. */
export async function registrationCounts(db: AppContext['db']): Promise<Record<string, number>> {
  const [customers, identities, visits, registrations, vouchers, consents, intents, surveys] = await Promise.all([
    db.customer.count(), db.channelIdentity.count(), db.visit.count(), db.registration.count(),
    db.voucher.count(), db.consentRecord.count(), db.messageIntent.count({ where: { kind: 'visit_thanks' } }), db.survey.count(),
  ]);
  return { customers, identities, visits, registrations, vouchers, consents, intents, surveys };
}
