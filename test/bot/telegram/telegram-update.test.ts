// Reading Telegram updates (real Bot API shapes in test/fixtures/telegram) and rendering our messages for Telegram.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, renderForTelegram } from '../../../bot/channels/telegram/telegram-render.ts';
import { localeOfLanguageCode } from '../../../bot/channels/telegram/telegram-texts.ts';
import { chatOfUpdate, readTelegramUpdate, readText } from '../../../bot/channels/telegram/telegram-update.ts';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/telegram', `${name}.json`), 'utf8')) as Update;

describe('reading updates', () => {
  it('reads a deep link /start with its payload and the user\'s language', () => {
    expect(readTelegramUpdate(fixture('message-start-deep-link'))).toEqual({ kind: 'start', chatId: '1111111', payload: 'showroom', languageCode: 'en' });
  });

  it('reads a button tap with its query id, message and data', () => {
    expect(readTelegramUpdate(fixture('callback-query'))).toEqual({ kind: 'tap', chatId: '1111111', callbackQueryId: '4382bfdwdsb323b2d9', messageId: 1366, data: '9' });
  });

  it('ignores group chats and edits, and asks for text when a photo comes', () => {
    expect(readTelegramUpdate(fixture('group-message')).kind).toBe('ignored');
    expect(chatOfUpdate(fixture('group-message'))).toBeNull();
    expect(readTelegramUpdate(fixture('edited-message')).kind).toBe('ignored');
    expect(readTelegramUpdate(fixture('photo-message'))).toEqual({ kind: 'unsupported', chatId: '1111111' });
  });

  it.each([
    ['/start', null], ['/start showroom', 'showroom'], ['/start@showroom_test_bot showroom', 'showroom'], ['  /start   staff_abc  ', 'staff_abc'],
  ])('reads %j as a start with payload %j', (text, payload) => {
    expect(readText('1', text)).toMatchObject({ kind: 'start', payload });
  });

  it.each(['/starts', '/start a b', '开始', 'start showroom'])('reads %j as plain text', (text) => {
    expect(readText('1', text).kind).toBe('text');
  });

  it('reads a shared contact as the sender\'s own only when its user_id is the sender\'s, the number with its "+"', () => {
    const message = (contact: Record<string, unknown>) => ({ update_id: 9, message: { message_id: 3, date: 1, chat: { id: 42, type: 'private', first_name: '王' }, from: { id: 42, is_bot: false, first_name: '王' }, contact } }) as unknown as Update;
    expect(readTelegramUpdate(message({ phone_number: '8613812345678', first_name: '王', user_id: 42 }))).toEqual({ kind: 'contact', chatId: '42', phone: '+8613812345678', own: true });
    expect(readTelegramUpdate(message({ phone_number: '+8613812345678', first_name: '李', user_id: 77 }))).toMatchObject({ phone: '+8613812345678', own: false });
    expect(readTelegramUpdate(message({ phone_number: '13812345678', first_name: '李' }))).toMatchObject({ own: false });
  });

  it('maps Telegram language codes to our locales', () => {
    expect(localeOfLanguageCode('en-GB', 'zh-CN')).toBe('en');
    expect(localeOfLanguageCode('zh-hans', 'en')).toBe('zh-CN');
    expect(localeOfLanguageCode('de', 'zh-CN')).toBe('zh-CN');
    expect(localeOfLanguageCode(null, 'zh-CN')).toBe('zh-CN');
  });
});

describe('rendering for Telegram', () => {
  it('lays the 1–10 score out five to a row, each button sending its value', () => {
    const choices = Array.from({ length: 10 }, (_, i) => ({ label: String(i + 1), value: String(i + 1) }));
    const rendered = renderForTelegram({ kind: 'text', text: '请打分', choices });
    expect(rendered.keyboard?.map((row) => row.map((b) => b.callback_data))).toEqual([['1', '2', '3', '4', '5'], ['6', '7', '8', '9', '10']]);
  });

  it('puts longer labels one to a row, and drops the keyboard when a value is too long for callback data', () => {
    expect(renderForTelegram({ kind: 'text', text: 'x', choices: [{ label: '1. 同意并继续', value: '1' }, { label: '2. 不同意', value: '2' }] }).keyboard).toHaveLength(2);
    expect(renderForTelegram({ kind: 'text', text: 'x', choices: [{ label: 'a', value: '码'.repeat(22) }] }).keyboard).toBeUndefined();
  });

  it('offers the number-sharing button as a one-time reply keyboard, never beside inline choices', () => {
    expect(renderForTelegram({ kind: 'text', text: '请输入手机号', shareContact: '📱 发送本机号码' })).toEqual({ text: '请输入手机号', contactButton: '📱 发送本机号码' });
    expect(renderForTelegram({ kind: 'text', text: '选', choices: [{ label: '1', value: '1' }], shareContact: 'x' }).contactButton).toBeUndefined();
  });

  it('sends a voucher as its text (which carries the code), and cuts an overlong text at a line, saying so', () => {
    expect(renderForTelegram({ kind: 'voucher', text: '您的兑换码是 ABCD-1234', voucherCode: 'ABCD1234' })).toEqual({ text: '您的兑换码是 ABCD-1234' });
    const long = Array.from({ length: 400 }, (_, i) => `第 ${i} 行：王芳 138****0001 A级`).join('\n');
    const { text } = renderForTelegram({ kind: 'text', text: long });
    expect([...text].length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(text).toMatch(/A级\n……（消息过长/);
  });
});
