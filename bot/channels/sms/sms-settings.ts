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
  international: 'SMS_INTERNATIONAL',
  codeTemplate: 'SMS_CODE_TEMPLATE',
} as const;

/** The SMS channel's settings once validated and complete. */
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
  callbackToken: string;
  /** Whether the account may text numbers outside the mainland (an international SMS package). */
  international: boolean;
  /**
   * The approved verification-code template (Alibaba `SMS_…` with `${code}`, Tencent's id with
   * `{1}`): when set, registrations ask for a one-time code sent with it; null: no codes.
   */
  codeTemplate: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_REGION = { aliyun: 'cn-hangzhou', tencent: 'ap-guangzhou' } as const;
/** What must be set once SMS_PROVIDER is. */
const REQUIRED = [SMS_SETTING.accessKeyId, SMS_SETTING.accessKeySecret, SMS_SETTING.signName, SMS_SETTING.callbackToken] as const;

function endpointProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a URL such as https://dysmsapi.aliyuncs.com';
  }
  if (url.pathname !== '/' || url.search || url.username) return 'must be scheme, host and port only';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return null;
  return 'must use https (plain http only to 127.0.0.1)';
}

/** The SMS channel's settings (see "SMS" in README.md and .env.example): off until SMS_PROVIDER is set. */
export const smsSettings = z
  .object({
    [SMS_SETTING.provider]: z.enum(['aliyun', 'tencent'], { error: 'must be aliyun (Alibaba Cloud SMS) or tencent (Tencent Cloud SMS)' }).optional(),
    [SMS_SETTING.accessKeyId]: z.string().trim().min(1).max(128, 'must be the AccessKey ID (Alibaba) or SecretId (Tencent)').optional(),
    [SMS_SETTING.accessKeySecret]: z.string().trim().min(1).max(128, 'must be the AccessKey Secret (Alibaba) or SecretKey (Tencent)').optional(),
    [SMS_SETTING.signName]: z.string().trim().min(2, 'must be the approved signature without 【】').max(20, 'must be the approved signature without 【】 (at most 20 characters)')
      .refine((v) => !/[【】]/.test(v), 'must be the approved signature without 【】').optional(),
    [SMS_SETTING.sdkAppId]: z.string().trim().regex(/^\d{6,12}$/, 'must be the numeric SmsSdkAppId of the Tencent SMS application, like 1400006666').optional(),
    [SMS_SETTING.region]: z.string().trim().regex(/^[a-z]{2}-[a-z0-9-]{2,30}$/, 'must be a region id such as cn-hangzhou (Alibaba) or ap-guangzhou (Tencent)').optional(),
    [SMS_SETTING.endpoint]: z.string().trim().superRefine((raw, problems) => {
      const problem = endpointProblem(raw);
      if (problem) problems.addIssue({ code: 'custom', message: problem });
    }).optional(),
    [SMS_SETTING.callbackToken]: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32–128 characters of A–Z, a–z, 0–9, _ and -').optional(),
    [SMS_SETTING.international]: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    [SMS_SETTING.codeTemplate]: z.string().trim().regex(/^(SMS_\d{4,16}|\d{4,12})$/, 'must be the approved verification template: SMS_ and digits (Alibaba) or the numeric template id (Tencent)').optional(),
  })
  .superRefine((settings, problems) => {
    const provider = settings[SMS_SETTING.provider];
    if (!provider) {
      const set = [...REQUIRED, SMS_SETTING.sdkAppId].filter((key) => settings[key] !== undefined);
      for (const key of set) problems.addIssue({ code: 'custom', path: [key], message: `is set but ${SMS_SETTING.provider} is not: set ${SMS_SETTING.provider} (aliyun or tencent) too, or remove the SMS settings to keep SMS off` });
      return;
    }
    for (const key of REQUIRED) {
      if (settings[key] === undefined) problems.addIssue({ code: 'custom', path: [key], message: `is required when ${SMS_SETTING.provider} is set` });
    }
    if (provider === 'tencent' && settings[SMS_SETTING.sdkAppId] === undefined) {
      problems.addIssue({ code: 'custom', path: [SMS_SETTING.sdkAppId], message: 'is required for Tencent Cloud SMS (the numeric SmsSdkAppId)' });
    }
  });

export type SmsSettingValues = z.infer<typeof smsSettings>;

/** The complete settings of an SMS channel that is on, or null when SMS_PROVIDER is unset (the schema refuses half a configuration). */
export function smsConnection(values: SmsSettingValues): SmsSettings | null {
  const provider = values[SMS_SETTING.provider];
  const [accessKeyId, accessKeySecret, signName, callbackToken] = REQUIRED.map((key) => values[key]);
  if (!provider || !accessKeyId || !accessKeySecret || !signName || !callbackToken) return null;
  const endpoint = values[SMS_SETTING.endpoint];
  return {
    provider, accessKeyId, accessKeySecret, signName, callbackToken,
    sdkAppId: values[SMS_SETTING.sdkAppId] ?? null,
    region: values[SMS_SETTING.region] ?? DEFAULT_REGION[provider],
    endpoint: endpoint ? new URL(endpoint) : null,
    international: values[SMS_SETTING.international] === 'true',
    codeTemplate: values[SMS_SETTING.codeTemplate] ?? null,
  };
}

/** An endpoint URL as the SDKs take it: the scheme apart from `host[:port]`. */
export function endpointParts(url: URL): { protocol: 'http' | 'https'; host: string } {
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}
