import type { Locale } from '../config.ts';

/** What the chat tells a customer about their data (the counts and the customer's own name and masked number). */
export interface ChatDataSummary {
  name: string;
  maskedPhone: string;
  birthday: string | null;
  visits: number;
  orders: number;
  surveys: number;
  tickets: number;
  consents: number;
  messages: number;
  serviceConsent: boolean;
  marketingConsent: boolean;
}

export interface DataRequestTexts {
  /** An unproven or unknown chat: nothing is revealed, the desk confirms in person. */
  goToDesk(hotline: string): string;
  summary(s: ChatDataSummary, reference: string): string;
  confirmErasure: string;
  erased(reference: string): string;
  nothingToConfirm: string;
}

const zh: DataRequestTexts = {
  goToDesk: (hotline) => `为保护您的个人信息，我们无法在这个聊天里确认您的身份，因此不能在这里查询或删除信息。请携带本人手机到门店前台办理（当面核实后即可提供信息副本或删除），或致电 ${hotline} 咨询。`,
  summary: (s, reference) => [
    '我们保存的您的信息：',
    `· 姓名：${s.name}；手机：${s.maskedPhone}；生日：${s.birthday ?? '未填写'}`,
    `· 到店登记 ${s.visits} 次，订单 ${s.orders} 个，满意度回访 ${s.surveys} 次，工单 ${s.tickets} 个`,
    `· 同意记录 ${s.consents} 条（服务消息：${s.serviceConsent ? '同意' : '已退订'}；营销消息：${s.marketingConsent ? '同意' : '未同意'}）`,
    `· 发给您的消息 ${s.messages} 条`,
    `完整副本（JSON 和 CSV 文件）请到门店前台领取，请出示请求编号 ${reference}。如需删除，回复"删除我的信息"。`,
  ].join('\n'),
  confirmErasure: '您要求删除您的个人信息：姓名、手机号、生日、聊天记录和留言将被匿名化，尚未发送的消息将取消；订单和礼品记录只以匿名方式保留。删除后无法恢复。\n如确认删除，请在 10 分钟内回复"确认删除"。',
  erased: (reference) => `您的个人信息已删除（请求编号 ${reference}）。今后我们不会再向您发送消息。如需再次登记，可重新扫码。`,
  nothingToConfirm: '没有待确认的删除请求。如需删除您的信息，请先回复"删除我的信息"。',
};

const en: DataRequestTexts = {
  goToDesk: (hotline) => `To protect your personal data we cannot confirm who you are in this chat, so we cannot show or delete data here. Please come to the front desk with your phone (once they have checked it is you, they hand you a copy or delete your data), or call ${hotline}.`,
  summary: (s, reference) => [
    'The data we hold about you:',
    `· Name: ${s.name}; mobile: ${s.maskedPhone}; birthday: ${s.birthday ?? 'not given'}`,
    `· ${s.visits} visit(s), ${s.orders} order(s), ${s.surveys} survey(s), ${s.tickets} ticket(s)`,
    `· ${s.consents} consent record(s) (service messages: ${s.serviceConsent ? 'yes' : 'stopped'}; marketing: ${s.marketingConsent ? 'yes' : 'no'})`,
    `· ${s.messages} message(s) sent to you`,
    `The front desk hands you the complete copy (JSON and CSV files): show them request ${reference}. To delete your data, reply "delete my data".`,
  ].join('\n'),
  confirmErasure: 'You asked us to delete your personal data: your name, number, birthday, chats and comments will be anonymized and waiting messages cancelled; orders and gift records are kept only anonymously. This cannot be undone.\nTo confirm, reply "confirm delete" within 10 minutes.',
  erased: (reference) => `Your personal data have been deleted (request ${reference}). We will not send you any more messages. To register again, scan the QR code.`,
  nothingToConfirm: 'There is no deletion waiting for confirmation. To delete your data, first reply "delete my data".',
};

/** The data-request texts in a locale (Simplified Chinese unless English). */
export function dataRequestTexts(locale: Locale): DataRequestTexts {
  return locale === 'en' ? en : zh;
}
