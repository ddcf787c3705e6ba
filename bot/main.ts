/**
 * The runnable bot: load config → open the database (migrating it) → first-start setup →
 * HTTP server with the web channel → print the links. SIGTERM/SIGINT stop intake and exit.
 */
import { systemClock } from '../core/clock.ts';
import { ConfigError, loadConfig, type Config } from '../core/config.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { createLogger } from '../core/logger.ts';
import { DEFAULT_SOURCE_CODE, ensureFirstStart } from '../core/setup/first-start.ts';
import { createLoginLink } from '../core/staff/staff-sessions.ts';
import { createAppContext } from './app-context.ts';
import { buildServer } from './http/server.ts';
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
  const { db, applied } = await migrateAndOpenDatabase(config.DATABASE_URL);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const setup = await ensureFirstStart(db, systemClock, config);
  if (setup.created) logger.info({ storeId: setup.storeId }, 'first start: store, campaign, gift and QR source created');

  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${lanAddress()}:${config.PORT}`;
  const ctx = createAppContext({ config, db, clock: systemClock, logger, publicBaseUrl });
  const server = buildServer(ctx);
  try {
    await server.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`Port ${config.PORT} is already in use: stop the other program or set PORT to a free port (e.g. PORT=3001).`);
    else if (code === 'EADDRNOTAVAIL') console.error(`HOST ${config.HOST} is not an address of this machine: set HOST=0.0.0.0 or one of its addresses.`);
    else throw error;
    await db.$disconnect();
    process.exit(1);
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
    '',
  ].join('\n'));

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Showroom Concierge could not start:', error);
  process.exit(1);
});
