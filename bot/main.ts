/**
 * The runnable bot: load settings → open the database (migrating it) → first-start setup →
 * the configured channels (bot/channels/channel-catalog.ts) and the inbox worker → outbox
 * dispatcher and calendar jobs → HTTP server with the channels' routes → channels' intake →
 * print the links. SIGTERM/SIGINT: `/readyz` turns 503, the intakes stop, the dispatcher finishes
 * or gives back its sends and gives up its roles (another instance takes them at its next look),
 * then HTTP, the ticker and the inbox stop and the database closes.
 *
 * Several instances may run on one database: each serves HTTP, webhooks and the inbox; one at a
 * time holds the outbox dispatcher (so the platforms' rate limits are kept in one place) and
 * the intake that allows one instance only (Telegram long polling), by a lease another instance
 * takes over within its time to live when the holder dies (core/scheduler/leader-role.ts).
 */
import { systemClock } from '../core/clock.ts';
import { ConfigError } from '../core/config.ts';
import { migrateAndOpenDatabase, type Database } from '../core/db/open-database.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../core/outbox/sql-outbox-store.ts';
import { RateLimiter } from '../core/outbox/rate-limiter.ts';
import { intakeRole, LeaderRole, leaseOwnerFor, OUTBOX_DISPATCHER_ROLE } from '../core/scheduler/leader-role.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';
import { createLoginLink } from '../core/staff/staff-sessions.ts';
import { createAppContext, inboundDeps } from './app-context.ts';
import { buildServer } from './http/server.ts';
import { ChannelSetupError } from './channels/channel-module.ts';
import { formatStatusLines, openChannels, startInboxWorker } from './channels/open-channels.ts';
import { CronTicker } from './scheduler/cron-ticker.ts';
import { currentCalendarJobs } from './scheduler/calendar-jobs.ts';
import { InstanceState, instanceName } from './instance-state.ts';
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
  const instance = new InstanceState(instanceName(config.INSTANCE_NAME));
  // Every line names the instance, once: nothing below logs an `instance` of its own.
  const logger = createLogger(config.LOG_LEVEL).child({ instance: instance.name });
  const leaseOwner = leaseOwnerFor(instance.name);
  const shutdown = new Shutdown(logger);
  shutdown.install();

  const { db, applied } = await migrateAndOpenDatabase(config.DATABASE_URL);
  shutdown.add('database', () => db.$disconnect());
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const setup = await ensureFirstStart(db, systemClock, config);
  if (setup.created) logger.info({ storeId: setup.storeId }, 'first start: store, campaign, gift and QR source created');

  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${lanAddress()}:${config.PORT}`;
  let wakeInbox = (): void => undefined;
  let wakeOutbox = (): void => undefined;
  const inbound = inboundDeps({ config, db, clock: systemClock, logger });
  const channels = await startupStep(() => openChannels(configured, { db, clock: systemClock, logger, publicBaseUrl, inbound, alertStoreId: setup.storeId, onStored: () => wakeInbox() }));
  const phoneProof = channels.running.find((channel) => channel.phoneProof)?.phoneProof;
  const ctx = createAppContext({ config, db, clock: systemClock, logger, publicBaseUrl, instance, channels: channels.running, channelsOff: channels.off, ...(phoneProof ? { phoneProof } : {}) });
  // Replies are sent as soon as their message's handling commits, not at the outbox's next look.
  const inbox = startInboxWorker(ctx, setup.storeId, () => wakeOutbox());
  if (inbox) {
    wakeInbox = () => inbox.wake();
    shutdown.add('inbox', () => inbox.stop(10_000));
  }

  // Shutdown runs its steps last-added first: the roles other instances take over (the intake,
  // the outbox) are handed over before the HTTP server closes and the calendar jobs stop.
  const server = buildServer(ctx);
  shutdown.add('http server', () => server.close());

  const senders = ctx.channels.map((channel) => channel.sender);
  let dispatcher: Dispatcher | null = null;
  const outbox = new LeaderRole({
    db, clock: systemClock, logger, name: OUTBOX_DISPATCHER_ROLE, owner: leaseOwner,
    lead() {
      // Buckets start empty: this instance cannot know what the one before it sent in its last second.
      const limiter = new RateLimiter({ startedAtMs: systemClock.now().getTime() });
      dispatcher = new Dispatcher({ store: sqlOutboxStore(db), clock: systemClock, logger, senders, limiter, pollIntervalMs: config.OUTBOX_POLL_MS });
      dispatcher.start();
    },
    async stepDown() {
      const stopping = dispatcher;
      dispatcher = null;
      await stopping?.stop(10_000);
    },
  });
  wakeOutbox = () => dispatcher?.poke();
  const ticker = new CronTicker(db, systemClock, logger, () => currentCalendarJobs({
    db, clock: systemClock, logger, homeStoreId: setup.storeId, retentionMonths: config.DATA_RETENTION_MONTHS, publicBaseUrl, channels: ctx.channels,
  }), { alertStoreId: setup.storeId });
  ticker.start();
  shutdown.add('calendar jobs', () => ticker.stop());
  await outbox.check(); // a single instance sends from its first second
  outbox.start();
  shutdown.add('outbox dispatcher', () => outbox.stop());

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
  for (const channel of ctx.channels) {
    if (channel.intakeOnOneInstance) {
      const role = intakeRole(channel.channel);
      const intake = onOneInstance(db, logger, leaseOwner, role, channel);
      // What the operator must fix stops start-up; a passing failure (the platform's connection
      // dropped) gives the role up, and this or another instance takes it at its next look.
      await startupStep(() => intake.check().catch((error: unknown) => {
        if (error instanceof ChannelSetupError) throw error;
        logger.warn({ role, reason: error instanceof Error ? error.message : String(error) }, 'could not start the intake; trying again');
      }));
      intake.start();
      shutdown.add(`${channel.label} intake`, () => intake.stop());
      continue;
    }
    await startupStep(() => channel.start());
    shutdown.add(`${channel.label} intake`, () => channel.stop());
  }

  // Added last, so it runs first: /readyz answers 503 from the signal on.
  shutdown.add('readiness', async () => instance.markStopping());
  instance.markReady();

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

/** A channel's intake run by whichever instance holds its lease. */
function onOneInstance(db: Database, logger: Logger, owner: string, name: string, channel: { start(): Promise<void>; stop(): Promise<void> }): LeaderRole {
  return new LeaderRole({ db, clock: systemClock, logger, name, owner, lead: () => channel.start(), stepDown: () => channel.stop() });
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
