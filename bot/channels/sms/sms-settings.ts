import { z } from 'zod';

/**
 * The environment settings of the SMS channel, by name, so that errors can tell the operator
 * which one to fix. They are read here (bot/), not in core/config.ts: only the SMS channel uses them.
 */
export const SMS_SETTING = {
  provider: 'SMS_PROVIDER',
  accessKeyId: 'SMS_ACCESS_KEY_ID',
  accessKeySecret: 'SMS_ACCESS_KEY_SECRET',
  signName: 'SMS_SIGN_NAME',
  sdkAppId: 'SMS_SDK_APP_ID',
  region: 'SMS_REGION',
  endpoint: 'SMS_ENDPOINT',
  callbackToken: 'SMS_CALLBACK_TOKEN',
} as const;

/** The SMS channel's settings once validated. */
export interface SmsSettings {
  provider: 'aliyun' | 'tencent';
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Tencent's SmsSdkAppId (required there, unused by Alibaba). */
  sdkAppId: string | null;
  region: string;
  /** Overrides the provider's endpoint (tests point it at a local fake). */
  endpoint: URL | null;
  /** The secret path segment the providers' callbacks must carry (they sign nothing). */
  callbackToken: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_REGION = { aliyun: 'cn-hangzhou', tencent: 'ap-guangzhou' } as const;
const optional = z.string().trim().min(1).optional();

const schema = z.object({
  [SMS_SETTING.provider]: z.enum(['aliyun', 'tencent']),
  [SMS_SETTING.accessKeyId]: z.string().trim().min(1, 'is required'),
  [SMS_SETTING.accessKeySecret]: z.string().trim().min(1, 'is required'),
  [SMS_SETTING.signName]: z.string().trim().min(2, 'is the approved signature without 【】').max(20),
  [SMS_SETTING.sdkAppId]: optional,
  [SMS_SETTING.region]: optional,
  [SMS_SETTING.endpoint]: optional,
  [SMS_SETTING.callbackToken]: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32–128 characters of A–Z, a–z, 0–9, _ and -').optional(),
});

/**
 * Reads the SMS settings from `env` (pure). SMS is off (`settings: null`) when SMS_PROVIDER is
 * unset. An endpoint must be https, except plain http to this machine (the test fakes).
 */
export function parseSmsSettings(env: Readonly<Record<string, string | undefined>>): { ok: true; settings: SmsSettings | null } | { ok: false; errors: string[] } {
  if (!env[SMS_SETTING.provider]) return { ok: true, settings: null };
  const parsed = schema.safeParse(env);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`) };
  const values = parsed.data;
  const provider = values[SMS_SETTING.provider];
  const errors: string[] = [];
  const sdkAppId = values[SMS_SETTING.sdkAppId] ?? null;
  if (provider === 'tencent' && (!sdkAppId || !/^\d+$/.test(sdkAppId))) errors.push(`${SMS_SETTING.sdkAppId} is required for Tencent Cloud SMS (the numeric SmsSdkAppId)`);
  const rawEndpoint = values[SMS_SETTING.endpoint];
  const endpoint = rawEndpoint ? endpointUrl(rawEndpoint) : null;
  if (typeof endpoint === 'string') errors.push(`${SMS_SETTING.endpoint} ${endpoint}`);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      provider,
      accessKeyId: values[SMS_SETTING.accessKeyId],
      accessKeySecret: values[SMS_SETTING.accessKeySecret],
      signName: values[SMS_SETTING.signName],
      sdkAppId,
      region: values[SMS_SETTING.region] ?? DEFAULT_REGION[provider],
      endpoint: endpoint as URL | null,
      callbackToken: values[SMS_SETTING.callbackToken] ?? null,
    },
  };
}

function endpointUrl(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.pathname !== '/' || url.search || url.username) return 'must be scheme, host and port only';
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  return 'must use https (plain http only to 127.0.0.1)';
}

/** An endpoint URL as the SDKs take it: the scheme apart from `host[:port]`. */
export function endpointParts(url: URL): { protocol: 'http' | 'https'; host: string } {
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}
