import type { Locale } from '../../../core/config.ts';

/** What the Telegram channel itself says (the flows' own texts live in core). */
export interface TelegramTexts {
  textOnly: string;
  staleButton: string;
  chooseStore: string;
  invitationLinked(name: string, role: string): string;
  invitationProblem: Record<'unknown' | 'expired' | 'used' | 'wrong_channel' | 'staff_invalid', string>;
}

const ROLE_NAMES: Record<string, string> = { CONSULTANT: '销售顾问', MANAGER: '经理', FRONT_DESK: '前台', ADMIN: '管理员' };
const ASK_ADMIN = '请联系店内管理员重新生成邀请。';

const zh: TelegramTexts = {
  textOnly: '暂时只能处理文字消息，请直接输入文字回复。',
  staleButton: '这个按钮已过期，请按最新一条消息回复。',
  chooseStore: '欢迎！请选择您所在的门店开始登记：',
  invitationLinked: (name, role) => `${name}，您好！已将这个 Telegram 账号绑定为${ROLE_NAMES[role] ?? role}。以后的跟进提醒会发到这里，发送“帮助”查看可用命令。`,
  invitationProblem: {
    unknown: `这个员工邀请链接无效。${ASK_ADMIN}`,
    expired: `这个员工邀请链接已过期。${ASK_ADMIN}`,
    used: `这个员工邀请链接已经使用过了（每个链接只能用一次）。${ASK_ADMIN}`,
    wrong_channel: `这个员工邀请不是用于 Telegram 的。${ASK_ADMIN}`,
    staff_invalid: `这个员工账号已停用，无法绑定。${ASK_ADMIN}`,
  },
};

const en: TelegramTexts = {
  textOnly: 'For now I can only read text: please type your reply.',
  staleButton: 'This button has expired: please answer the latest message.',
  chooseStore: 'Welcome! Please choose your store to register:',
  invitationLinked: (name) => `Hello ${name}! This Telegram account is now linked to your staff account. Reminders will come here; send 帮助 for the commands.`,
  invitationProblem: {
    unknown: 'This staff invitation link is not valid. Please ask your admin for a new one.',
    expired: 'This staff invitation link has expired. Please ask your admin for a new one.',
    used: 'This staff invitation link was already used (each works once). Please ask your admin for a new one.',
    wrong_channel: 'This staff invitation is not for Telegram. Please ask your admin for a new one.',
    staff_invalid: 'This staff account is no longer active. Please ask your admin.',
  },
};

export function telegramTexts(locale: Locale): TelegramTexts {
  return locale === 'en' ? en : zh;
}

/** Telegram's language code as one of our locales: English for en*, else the default. */
export function localeOfLanguageCode(code: string | null, fallback: Locale): Locale {
  return code?.toLowerCase().startsWith('en') ? 'en' : code?.toLowerCase().startsWith('zh') ? 'zh-CN' : fallback;
}
