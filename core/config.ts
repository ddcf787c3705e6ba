import { isIP } from 'node:net';
import { z } from 'zod';
import { redactPassword } from './db/database-url.ts';

/** Locales the customer-facing text is written in. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const port = z.coerce
  .number({ error: 'must be a whole number between 1 and 65535' })
  .int('must be a whole number between 1 and 65535')
  .min(1, 'must be a whole number between 1 and 65535')
  .max(65535, 'must be a whole number between 1 and 65535');

const positiveInt = (what: string) =>
  z.coerce.number({ error: `must be ${what}` }).int(`must be ${what}`).min(1, `must be ${what}`);

const nonEmpty = (example: string) =>
  z.string().trim().min(1, `must not be empty, e.g. ${example}`).max(100, 'must be at most 100 characters');

const hoursRange = (example: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, `must be a local time range HH:MM-HH:MM, e.g. ${example}`)
    .transform((range) => {
      const [start = '', end = ''] = range.split('-');
      return { start, end };
    });

/** An IP address, or a CIDR range such as 10.0.0.0/8 or fd00::/8. */
function isIpOrCidr(value: string): boolean {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const perMinute = (what: string) => positiveInt(`a whole number of ${what} per minute, at least 1`);

/** Abuse limits (see README, "Security model"): generous enough for a launch event on one showroom Wi-Fi address. */
const limitsSchema = {
  TRUSTED_PROXIES: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isIpOrCidr, 'must list IP addresses or CIDR ranges, comma-separated, e.g. 127.0.0.1,10.0.0.0/8')))
    .default([]),
  REGISTRATIONS_PER_ADDRESS_PER_MINUTE: perMinute('registrations').default(120),
  REGISTRATIONS_PER_SOURCE_PER_MINUTE: perMinute('registrations').default(120),
  REGISTRATIONS_PER_STORE_PER_MINUTE: perMinute('registrations').default(200),
  CHAT_SESSIONS_PER_ADDRESS_PER_MINUTE: perMinute('new chat sessions').default(120),
  CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE: perMinute('chat messages').default(1200),
  GIFT_BURST_PER_MINUTE: perMinute('vouchers').default(30),
  GIFT_PAUSE_MINUTES: positiveInt('a whole number of minutes, at least 1').default(30),
  COMPLAINTS_PER_CHAT_PER_DAY: positiveInt('a whole number of complaints, at least 1').default(3),
};

/** The core's settings, read from the environment (and an optional .env file); each channel module has its own. See .env.example. */
const configSchema = z.object({
  HOST: z.string().trim().min(1, 'must be a host name or IP address, e.g. 0.0.0.0').default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://192.168.1.20:3000' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be a SQLite file URL (file:./data/showroom.db) or a PostgreSQL URL (postgresql://user:password@host:5432/showroom)')
    .default('file:./data/showroom.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: z.enum(LOCALES).default('zh-CN'),
  DEALER_GROUP_NAME: nonEmpty('华东汽车集团').default('示例汽车集团'),
  STORE_NAME: nonEmpty('华东汽车4S店').default('示例汽车4S店'),
  STORE_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Shanghai')
    .default('Asia/Shanghai'),
  STORE_CAR_MODELS: z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().max(40, 'each model name must be at most 40 characters'))
        .min(1, 'must list at least one model, comma-separated, e.g. 紧凑型轿车,城市SUV')
        .max(30, 'must list at most 30 models')
        .refine((names) => new Set(names).size === names.length, 'must not list a model twice'),
    )
    .default(['紧凑型轿车', '中型轿车', '城市SUV', '七座SUV', '纯电动车型']),
  STORE_CUSTOMER_HOURS: hoursRange('08:00-21:00').default({ start: '08:00', end: '21:00' }),
  STORE_STAFF_HOURS: hoursRange('08:30-18:30').default({ start: '08:30', end: '18:30' }),
  STORE_ADDRESS: z.string().trim().max(200).default(''),
  STORE_HOTLINE: z.string().trim().max(40).default('400-000-0000'),
  CAMPAIGN_NAME: nonEmpty('到店登记有礼').default('到店登记有礼'),
  GIFT_NAME: nonEmpty('定制车载香薰').default('定制车载香薰'),
  GIFT_STOCK: z.coerce
    .number({ error: 'must be a whole number of gifts, 0 or more' })
    .int('must be a whole number of gifts, 0 or more')
    .min(0, 'must be a whole number of gifts, 0 or more')
    .default(200),
  DATA_RETENTION_MONTHS: positiveInt('a whole number of months, at least 1').default(12),
  THANK_YOU_DELAY_MINUTES: positiveInt('a whole number of minutes, at least 1').default(120),
  OUTBOX_POLL_MS: positiveInt('a whole number of milliseconds, at least 1').default(1000),
  /** This running instance's name in logs and leases; several instances on one database need different ones (the default is). */
  INSTANCE_NAME: z.string().trim().regex(/^[\w.-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-", e.g. showroom-1').optional(),
  WEB_CHAT_POLL_MS: positiveInt('a whole number of milliseconds, at least 1').default(3000),
  ADMIN_LINK_TTL_HOURS: positiveInt('a whole number of hours, at least 1').default(24),
  ADMIN_SESSION_IDLE_MINUTES: positiveInt('a whole number of minutes, at least 1').default(60),
  ADMIN_SESSION_MAX_HOURS: positiveInt('a whole number of hours, at least 1').default(12),
  ...limitsSchema,
});

export type Config = z.infer<typeof configSchema>;

/** The names of the core's settings, as documented in .env.example. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];

/** A configuration that failed validation; `message` names each variable and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix these in the environment or in .env (see .env.example).`);
    this.name = 'ConfigError';
  }
}

/** Settings read from environment variables: a zod object whose keys are the variables' names. */
export type SettingsSchema = z.ZodObject;

/**
 * Reads the variables `schema` names from `env`: the values, or one problem per bad variable,
 * naming it, what it expects and what it got. Empty strings count as "not set", so a blank line
 * in .env falls back to the default. Pure.
 */
export function parseSettings<S extends SettingsSchema>(schema: S, env: Record<string, string | undefined>): { ok: true; value: z.infer<S> } | { ok: false; problems: string[] } {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in schema.shape && value !== undefined && value.trim() !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      const got = present[name];
      return `${name} ${issue.message}${got === undefined ? '' : ` (got "${redactPassword(got)}")`}`;
    }),
  };
}

/** Validates the core settings (each channel reads its own). Pure: the caller passes the environment (merged with .env). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = parseSettings(configSchema, env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  return parsed.value;
}
