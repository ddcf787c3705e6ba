/**
 * The runnable bot: load config → open the database (migrating it) → first-start setup →
 * outbox dispatcher and calendar jobs → HTTP server with the web channel → print the links.
 * SIGTERM/SIGINT: stop intake (HTTP), stop the ticker, let the dispatcher finish or release
 * its sends, close the database, exit.
 */
import { systemClock } from '../core/clock.ts';
import { ConfigError, loadConfig, type Config } from '../core/config.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { createLogger } from '../core/logger.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { RateLimiter } from '../core/outbox/rate-limiter.ts';
import { DEFAULT_SOURCE_CODE, ensureFirstStart } from '../core/setup/first-start.ts';
import { createLoginLink } from '../core/staff/staff-sessions.ts';
import { createAppContext, type AppContext } from './app-context.ts';
import { buildServer } from './http/server.ts';
import { GrammyError } from 'grammy';
import { InboxWorker } from '../core/inbox/inbox-worker.ts';
import { WebChatSender } from './channels/web/web-chat-sender.ts';
import { createTelegramChannel, TelegramSetupError, type TelegramChannel } from './channels/telegram/telegram-channel.ts';
import { telegramUpdateHandler } from './channels/telegram/telegram-update-handler.ts';
import { CronTicker } from './scheduler/cron-ticker.ts';
import { storeCalendarJobs } from './scheduler/store-calendar-jobs.ts';
import { Shutdown } from './shutdown.ts';
import { lanAddress } from './http/lan-address.ts';
import { loadEnvironment } from './load-env.ts';

function readConfig(): Config {
  try {
    return loadConfig(loadEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
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
  const ctx = createAppContext({ config, db, clock: systemClock, logger, publicBaseUrl });
  let wakeOutbox = (): void => undefined;
  const telegram = config.TELEGRAM_BOT_TOKEN ? await setUpTelegram(ctx, shutdown, setup.storeId, () => wakeOutbox()) : null;

  const senders = [new WebChatSender(db, systemClock), ...(telegram ? [telegram.sender] : [])];
  // Buckets start empty: this process cannot know what the one before it sent in its last second.
  const limiter = new RateLimiter({ startedAtMs: systemClock.now().getTime() });
  const dispatcher = new Dispatcher({ db, clock: systemClock, logger, senders, limiter, pollIntervalMs: config.OUTBOX_POLL_MS });
  wakeOutbox = () => dispatcher.poke();
  dispatcher.start();
  shutdown.add('outbox dispatcher', () => dispatcher.stop(10_000));
  const ticker = new CronTicker(db, systemClock, logger, storeCalendarJobs(db, systemClock, logger, store), { alertStoreId: store.id });
  ticker.start();
  shutdown.add('calendar jobs', () => ticker.stop());

  const server = buildServer(ctx);
  telegram?.registerRoutes(server);
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
  if (telegram) {
    await startupStep(() => telegram.start());
    shutdown.add('telegram intake', () => telegram.stop());
  }

  const adminToken = await createLoginLink(db, systemClock, setup.adminStaffId, config.ADMIN_LINK_TTL_HOURS);
  const local = `http://${['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST}:${config.PORT}`;
  console.log([
    '',
    'Showroom Concierge is running.',
    `  Showroom poster (QR code):  ${local}/`,
    `  Registration form (H5):     ${publicBaseUrl}/r/${DEFAULT_SOURCE_CODE}`,
    `  Web chat:                   ${publicBaseUrl}/chat/${DEFAULT_SOURCE_CODE}`,
    `  Front desk (one-time link, valid ${config.ADMIN_LINK_TTL_HOURS} h):`,
    `                              ${local}/admin/login/${adminToken}`,
    `  Outbox:                     ${local}/admin/outbox`,
    telegram ? `  Telegram:                   https://t.me/${telegram.botUsername} (${telegram.mode === 'polling' ? 'long polling' : `webhook ${telegram.mode}`})` : '  Telegram:                   off (set TELEGRAM_BOT_TOKEN to connect a bot; see README)',
    '',
  ].join('\n'));
}

/**
 * Connects the Telegram bot (getMe checks the token) and starts the inbox worker that handles
 * its stored updates; the intake itself starts once the HTTP server listens (webhook mode needs it).
 */
async function setUpTelegram(ctx: AppContext, shutdown: Shutdown, alertStoreId: string, onHandled: () => void): Promise<TelegramChannel> {
  const { config, db, clock, logger } = ctx;
  let wakeInbox = (): void => undefined;
  const telegram = await startupStep(() => createTelegramChannel({ config, db, clock, logger, alertStoreId, onStored: () => wakeInbox() }));
  ctx.telegramBotUsername = telegram.botUsername;
  const inbox = new InboxWorker({ db, clock, logger, alertStoreId, onHandled, handle: telegramUpdateHandler(ctx.inbound, telegram.acks) });
  wakeInbox = () => inbox.wake();
  inbox.start();
  shutdown.add('inbox', () => inbox.stop(10_000));
  return telegram;
}

/** Runs a start-up step whose failure the operator can fix: prints the reason and exits 1. */
async function startupStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TelegramSetupError) && !(error instanceof GrammyError)) throw error;
    console.error(`Telegram: ${error.message}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error('Showroom Concierge could not start:', error);
  process.exit(1);
});
