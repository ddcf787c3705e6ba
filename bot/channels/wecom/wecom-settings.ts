import { z } from 'zod';
import { encodingAesKeyProblem } from './wecom-callback-crypto.ts';

/** The settings that together connect one self-built WeCom app: all of them, or none. */
const REQUIRED = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_CALLBACK_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

/** The WeCom channel's settings (see "WeCom" in README.md and .env.example). */
export const wecomSettings = z
  .object({
    WECOM_CORP_ID: z.string().trim().regex(/^[A-Za-z0-9]{6,64}$/, 'must be the 企业ID (我的企业 → 企业信息), like ww0123456789abcdef').optional(),
    WECOM_AGENT_ID: z.string().trim().regex(/^\d{1,10}$/, 'must be the AgentId of the self-built app (应用管理 → the app), a number like 1000002').transform(Number).optional(),
    WECOM_SECRET: z.string().trim().min(8, 'must be the Secret of the self-built app (应用管理 → the app → Secret)').max(128).optional(),
    WECOM_CALLBACK_TOKEN: z.string().trim().regex(/^[A-Za-z0-9]{1,32}$/, 'must be the Token of the app\'s 接收消息 settings (up to 32 letters and digits)').optional(),
    WECOM_ENCODING_AES_KEY: z
      .string()
      .trim()
      .superRefine((key, problems) => {
        const problem = encodingAesKeyProblem(key);
        if (problem) problems.addIssue({ code: 'custom', message: `must be the EncodingAESKey of the app's 接收消息 settings: ${problem}` });
      })
      .optional(),
    WECOM_KF_OPEN_KFID: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the open_kfid of the 微信客服 account (微信客服 → the account), like wkAJ2GCAAAZSfhHCt7IFSvLKtMPxyJTw').optional(),
    WECOM_API_BASE: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://qyapi.weixin.qq.com' })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://qyapi.weixin.qq.com'),
  })
  .superRefine((settings, problems) => {
    const missing = REQUIRED.filter((key) => settings[key] === undefined);
    if (missing.length === 0 || missing.length === REQUIRED.length) return;
    for (const key of missing) {
      problems.addIssue({ code: 'custom', path: [key], message: `is not set, but other WeCom settings are: set ${missing.join(', ')} too, or remove the WeCom settings to keep WeCom off` });
    }
  });

export type WecomSettings = z.infer<typeof wecomSettings>;

/** The settings of a WeCom channel that is on: every required one present. */
export type WecomConnection = { [K in (typeof REQUIRED)[number]]-?: NonNullable<WecomSettings[K]> } & { WECOM_API_BASE: string; WECOM_KF_OPEN_KFID?: string };

/** The complete connection settings, or null when WeCom is off (the schema refuses half a configuration). */
export function wecomConnection(settings: WecomSettings): WecomConnection | null {
  const { WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_CALLBACK_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_API_BASE, WECOM_KF_OPEN_KFID } = settings;
  if (!WECOM_CORP_ID || WECOM_AGENT_ID === undefined || !WECOM_SECRET || !WECOM_CALLBACK_TOKEN || !WECOM_ENCODING_AES_KEY) return null;
  return { WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_CALLBACK_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_API_BASE, ...(WECOM_KF_OPEN_KFID ? { WECOM_KF_OPEN_KFID } : {}) };
}
