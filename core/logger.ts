import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The application logger. Scope it with `logger.child({ customerId })`; never log tokens,
 * secrets or full phone numbers (use maskPhone).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, redact: ['token', 'phone', '*.token', '*.phone'] });
}

/** A logger that writes nothing; the default in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
