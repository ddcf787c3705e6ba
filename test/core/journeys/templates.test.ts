import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../bot/http/html.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from '../../../core/journeys/template-defaults.ts';
import { placeholdersOf, renderTemplate, TemplateInvalidError, validateTemplate } from '../../../core/journeys/templates.ts';

const kinds = Object.keys(TEMPLATE_KINDS) as TemplateKind[];
const everything = {
  customerName: '张伟', honorific: '张先生', storeName: '示例汽车4S店', consultantName: '李顾问', model: '城市SUV',
  deliveryTime: '11月27日 周五 14:00', address: '示例路 88 号', hotline: '400-000-0000', holidayName: '春节', serviceDueDate: '2027年2月21日',
};

describe('templates', () => {
  it.each(kinds.flatMap((kind) => (['zh-CN', 'en'] as const).map((locale) => [kind, locale] as const)))('the default %s (%s) is valid and renders every variable', (kind, locale) => {
    const body = DEFAULT_TEMPLATES[kind][locale];
    expect(() => validateTemplate(kind, body)).not.toThrow();
    const text = renderTemplate(body, everything);
    expect(text).not.toMatch(/\{[A-Za-z]+\}/);
    for (const name of placeholdersOf(body)) expect(text).toContain(everything[name as keyof typeof everything]);
  });

  it('refuses an unknown variable, naming it', () => {
    expect(() => validateTemplate('birthday_greeting', '{customerName}生日快乐，{storeName}送您{coupon}')).toThrow(TemplateInvalidError);
    expect(() => validateTemplate('birthday_greeting', '{customerName}生日快乐，{storeName}送您{coupon}')).toThrow(/\{coupon\}/);
  });

  it('refuses a misspelt or translated variable instead of sending it as it is', () => {
    expect(() => validateTemplate('birthday_greeting', '{客户姓名}生日快乐，{storeName}')).toThrow(/\{客户姓名\}/);
    expect(() => validateTemplate('birthday_greeting', '{customer_name}生日快乐，{storeName}')).toThrow(TemplateInvalidError);
  });

  it('keeps the line breaks of a template', () => {
    expect(renderTemplate('{customerName}您好，\n\n{storeName}祝您生日快乐', { customerName: '张伟', storeName: '示例店' })).toBe('张伟您好，\n\n示例店祝您生日快乐');
  });

  it('refuses a template without a required variable, naming it', () => {
    expect(() => validateTemplate('delivery_reminder_24h', '明天交车，请准时到店')).toThrow(/must use \{deliveryTime\}/);
    expect(() => validateTemplate('holiday_greeting', '{storeName}祝您节日快乐')).toThrow(/\{holidayName\}/);
  });

  it('refuses an empty or overlong template', () => {
    expect(() => validateTemplate('birthday_greeting', `{storeName}${' '.repeat(5)}`)).not.toThrow();
    expect(() => validateTemplate('birthday_greeting', `{storeName}${'好'.repeat(1000)}`)).toThrow(/1–1000/);
  });

  it('escapes values for a channel that sends markup, and never turns a name into markup', () => {
    const name = '<b onclick="x">王</b>';
    expect(renderTemplate('{customerName}您好', { customerName: name }, escapeHtml)).toBe('&#60;b onclick=&#34;x&#34;&#62;王&#60;/b&#62;您好');
    expect(renderTemplate('{customerName}您好', { customerName: name })).toBe(`${name}您好`);
  });

  it('renders a variable without a value as nothing', () => {
    expect(renderTemplate('{honorific}您好，{consultantName}', { honorific: '张先生' })).toBe('张先生您好，');
  });
});
