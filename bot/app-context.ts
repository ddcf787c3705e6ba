import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Database } from '../core/db/open-database.ts';
import type { InboundDeps } from '../core/flows/handle-inbound.ts';
import type { Logger } from '../core/logger.ts';

/** Everything the HTTP routes and channel adapters need, built once in main.ts (or a test). */
export interface AppContext {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Base of the links printed and put in QR codes, without a trailing slash. */
  publicBaseUrl: string;
  inbound: InboundDeps;
  /** The Telegram bot's username (from getMe) when the Telegram channel runs; null otherwise. */
  telegramBotUsername: string | null;
}

/** Builds the context from its parts. */
export function createAppContext(parts: Omit<AppContext, 'inbound' | 'telegramBotUsername'> & { telegramBotUsername?: string | null }): AppContext {
  return {
    ...parts,
    telegramBotUsername: parts.telegramBotUsername ?? null,
    inbound: {
      db: parts.db,
      clock: parts.clock,
      logger: parts.logger,
      settings: {
        retentionMonths: parts.config.DATA_RETENTION_MONTHS,
        defaultLocale: parts.config.DEFAULT_LOCALE,
      },
    },
  };
}
