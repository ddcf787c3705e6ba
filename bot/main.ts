/**
 * The runnable bot: load settings → open the database (migrating it) → first-start setup →
 * the configured channels (bot/channels/channel-catalog.ts) and the inbox worker → outbox
 * dispatcher and calendar jobs → HTTP server with the channels' routes → channels' intake →
 * print the links. SIGTERM/SIGINT: stop intake (channels, HTTP), stop the ticker, let the
 * dispatcher finish or release its sends, close the database, exit.
 */
import { systemClock } from '../core/clock.ts';
import { ConfigError } from '../core/config.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { createLogger } from '../core/logger.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../core/outbox/sql-outbox-store.ts';
import { RateLimiter } from '../core/outbox/rate-limiter.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';
import { createLoginLink } from '../core/staff/staff-sessions.ts';
import { createAppContext, inboundDeps } from './app-context.ts';
import { buildServer } from './http/server.ts';
import { ChannelSetupError } from './channels/channel-module.ts';
import { formatStatusLines, openChannels, startInboxWorker } from './channels/open-channels.ts';
import { CronTicker } from './scheduler/cron-ticker.ts';
import { storeCalendarJobs } from './scheduler/store-calendar-jobs.ts';
import { Shutdown } from './shutdown.ts';
import { lanAddress } from './http/lan-address.ts';
import { loadEnvironment } from './load-env.ts';
import { loadSettings, type Settings } from './settings.ts';

function readSettings(): Settings {
  try {
    return loadSettings(loadEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const { config, channels: configured } = readSettings();
  const logger = createLogger(config.LOG_LEVEL);
  const shutdown = new Shutdown(logger);
  shutdown.install();

  const { db, applied } = await migrateAndOpenDatabase(config.DATABASE_URL);
  shutdown.add('database', () => db.$disconnect());
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const setup = await ensureFirstStart(db, systemClock, config);
  if (setup.created) logger.info({ storeId: setup.storeId }, 'first start: store, campaign, gift and QR source created');
  const store = await db.store.findUniqueOrThrow({ where: { id: setup.storeId } });

  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${lanAddress()}:${config.PORT}`;
  let wakeInbox = (): void => undefined;
  let wakeOutbox = (): void => undefined;
  const inbound = inboundDeps({ config, db, clock: systemClock, logger });
  const channels = await startupStep(() => openChannels(configured, { db, clock: systemClock, logger, publicBaseUrl, inbound, alertStoreId: setup.storeId, onStored: () => wakeInbox() }));
  const ctx = createAppContext({ config, db, clock: systemClock, logger, publicBaseUrl, channels: channels.running, channelsOff: channels.off });
  // Replies are sent as soon as their message's handling commits, not at the outbox's next look.
  const inbox = startInboxWorker(ctx, setup.storeId, () => wakeOutbox());
  if (inbox) {
    wakeInbox = () => inbox.wake();
    shutdown.add('inbox', () => inbox.stop(10_000));
  }

  const senders = ctx.channels.map((channel) => channel.sender);
  // Buckets start empty: this process cannot know what the one before it sent in its last second.
  const limiter = new RateLimiter({ startedAtMs: systemClock.now().getTime() });
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(db), clock: systemClock, logger, senders, limiter, pollIntervalMs: config.OUTBOX_POLL_MS });
  wakeOutbox = () => dispatcher.poke();
  dispatcher.start();
  shutdown.add('outbox dispatcher', () => dispatcher.stop(10_000));
  const channelJobs = ctx.channels.flatMap((channel) => channel.calendarJobs?.({ id: store.id, timeZone: store.timeZone, staffHours: { start: store.staffHoursStart, end: store.staffHoursEnd } }) ?? []);
  const ticker = new CronTicker(db, systemClock, logger, [...storeCalendarJobs(db, systemClock, logger, store, config.DATA_RETENTION_MONTHS, publicBaseUrl), ...channelJobs]);
  ticker.start();
  shutdown.add('calendar jobs', () => ticker.stop());

  const server = buildServer(ctx);
  try {
    await server.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`Port ${config.PORT} is already in use: stop the other program or set PORT to a free port (e.g. PORT=3001).`);
    else if (code === 'EADDRNOTAVAIL') console.error(`HOST ${config.HOST} is not an address of this machine: set HOST=0.0.0.0 or one of its addresses.`);
    else throw error;
    await shutdown.run('could not listen');
    process.exit(1);
  }
  shutdown.add('http server', () => server.close());
  for (const channel of ctx.channels) {
    await startupStep(() => channel.start());
    shutdown.add(`${channel.label} intake`, () => channel.stop());
  }

  const adminToken = await createLoginLink(db, systemClock, setup.adminStaffId, config.ADMIN_LINK_TTL_HOURS, 'startup');
  const local = `http://${['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST}:${config.PORT}`;
  console.log([
    '',
    'Showroom Concierge is running.',
    `  Showroom poster (QR code):  ${local}/`,
    ...formatStatusLines(channels.statusLines),
    `  Front desk (one-time link, valid ${config.ADMIN_LINK_TTL_HOURS} h):`,
    `                              ${local}/admin/login/${adminToken}`,
    `  Outbox:                     ${local}/admin/outbox`,
    '',
  ].join('\n'));
}

/** Runs a start-up step whose failure the operator can fix: prints the reason and exits 1. */
async function startupStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ChannelSetupError)) throw error;
    console.error(`${error.channelLabel}: ${error.message}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error('Showroom Concierge could not start:', error);
  process.exit(1);
});
