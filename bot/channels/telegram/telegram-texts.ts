import type { Locale } from '../../../core/config.ts';

/**
 * The notice Telegram shows over the chat for a tap on an older keyboard (answerCallbackQuery);
 * what the chat itself is told comes from core.
 */
export function staleButtonNotice(locale: Locale): string {
  return locale === 'en' ? 'This button has expired: please answer the latest message.' : '这个按钮已过期，请按最新一条消息回复。';
}

/** Telegram's language code as one of our locales: English for en*, else the default. */
export function localeOfLanguageCode(code: string | null, fallback: Locale): Locale {
  return code?.toLowerCase().startsWith('en') ? 'en' : code?.toLowerCase().startsWith('zh') ? 'zh-CN' : fallback;
}
