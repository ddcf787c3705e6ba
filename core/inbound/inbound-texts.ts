import type { Locale } from '../config.ts';
import type { ChannelName } from '../messages.ts';
import type { InvitationErrorCode } from '../staff/staff-invitations.ts';

/** An invitation problem the chat is told about (not_allowed is a programming error, never shown). */
export type InvitationProblem = Exclude<InvitationErrorCode, 'not_allowed'>;

/** What the inbound pipeline itself says; the flows' own texts live with them. */
export interface InboundTexts {
  textOnly: string;
  /** Text we could not read: a broken character, or nothing visible. */
  unreadableText: string;
  chooseStore: string;
  invitationLinked(name: string, role: string, channel: ChannelName): string;
  invitationProblem(problem: InvitationProblem, channel: ChannelName): string;
}

const CHANNEL_NAMES: Record<Locale, Record<ChannelName, string>> = {
  'zh-CN': { WEB: '网页', TELEGRAM: 'Telegram', WECOM: '企业微信', SMS: '短信' },
  en: { WEB: 'web', TELEGRAM: 'Telegram', WECOM: 'WeCom', SMS: 'SMS' },
};

/** A channel's name as a chat states it, e.g. 企业微信, Telegram. */
export function channelName(channel: ChannelName, locale: Locale): string {
  return CHANNEL_NAMES[locale][channel];
}

/** A name set in Chinese text: Latin names get a space on each side (这个 Telegram 账号, 这个企业微信账号). */
const inZh = (name: string): string => (/^[A-Za-z]/.test(name) ? ` ${name} ` : name);

const ROLE_NAMES: Record<string, string> = { CONSULTANT: '销售顾问', MANAGER: '经理', FRONT_DESK: '前台', ADMIN: '管理员' };
const ASK_ADMIN = '请联系店内管理员重新生成邀请。';

const zh: InboundTexts = {
  textOnly: '暂时只能处理文字消息，请直接输入文字回复。',
  unreadableText: '这条消息里有无法识别的字符（或没有可见的文字），请重新输入。',
  chooseStore: '欢迎！请选择您所在的门店开始登记：',
  invitationLinked: (name, role, channel) => `${name}，您好！已将这个${inZh(channelName(channel, 'zh-CN'))}账号绑定为${ROLE_NAMES[role] ?? role}。以后的跟进提醒会发到这里，发送“帮助”查看可用命令。`,
  invitationProblem: (problem, channel) => ({
    unknown: `这个员工邀请链接无效。${ASK_ADMIN}`,
    expired: `这个员工邀请链接已过期。${ASK_ADMIN}`,
    used: `这个员工邀请链接已经使用过了（每个链接只能用一次）。${ASK_ADMIN}`,
    wrong_channel: `这个员工邀请不是用于${inZh(channelName(channel, 'zh-CN'))}的。${ASK_ADMIN}`,
    staff_invalid: `这个员工账号已停用，无法绑定。${ASK_ADMIN}`,
  })[problem],
};

const en: InboundTexts = {
  textOnly: 'For now I can only read text: please type your reply.',
  unreadableText: 'I could not read this message (a broken character, or nothing visible): please type it again.',
  chooseStore: 'Welcome! Please choose your store to register:',
  invitationLinked: (name, _role, channel) => `Hello ${name}! This ${channelName(channel, 'en')} account is now linked to your staff account. Reminders will come here; send 帮助 for the commands.`,
  invitationProblem: (problem, channel) => ({
    unknown: 'This staff invitation link is not valid. Please ask your admin for a new one.',
    expired: 'This staff invitation link has expired. Please ask your admin for a new one.',
    used: 'This staff invitation link was already used (each works once). Please ask your admin for a new one.',
    wrong_channel: `This staff invitation is not for ${channelName(channel, 'en')}. Please ask your admin for a new one.`,
    staff_invalid: 'This staff account is no longer active. Please ask your admin.',
  })[problem],
};

/** The pipeline's texts in a locale (Simplified Chinese unless English). */
export function inboundTexts(locale: Locale): InboundTexts {
  return locale === 'en' ? en : zh;
}
