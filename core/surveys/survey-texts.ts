import type { Locale } from '../config.ts';
import type { Choice } from '../messages.ts';

/** The steps that can disappoint, in the handbook's order; numbered 1–6 in the question. */
export const FACTORS = ['reception_wait', 'product_explanation', 'test_drive', 'price_transparency', 'paperwork', 'delivery'] as const;
export type Factor = (typeof FACTORS)[number];

const FACTOR_LABELS: Record<Locale, Record<Factor, string>> = {
  'zh-CN': { reception_wait: '接待等候', product_explanation: '产品介绍', test_drive: '试乘试驾', price_transparency: '价格透明', paperwork: '手续办理', delivery: '交车' },
  en: { reception_wait: 'Waiting to be received', product_explanation: 'Product explanation', test_drive: 'Test drive', price_transparency: 'Price transparency', paperwork: 'Paperwork', delivery: 'Delivery' },
};

/** The label of a factor in a locale. */
export function factorLabel(factor: Factor, locale: Locale): string {
  return FACTOR_LABELS[locale][factor];
}

/** The 1–10 buttons under a score question. */
export const SCORE_CHOICES: Choice[] = Array.from({ length: 10 }, (_, i) => ({ label: String(i + 1), value: String(i + 1) }));

/** The factor buttons under the "which step" question. */
export function factorChoices(locale: Locale): Choice[] {
  return FACTORS.map((f, i) => ({ label: `${i + 1}. ${factorLabel(f, locale)}`, value: String(i + 1) }));
}

/** Every customer-facing sentence of a survey. */
export interface SurveyTexts {
  askVisitScore(storeName: string): string;
  askDeliveryScore(intro: string): string;
  askReSurvey(storeName: string): string;
  reminder: string;
  hint: string;
  handedToStaff: string;
  askFactor: string;
  askComment: string;
  thanksHigh: string;
  thanksLow: string;
  corrected(score: number): string;
  declined: string;
}

const zh: SurveyTexts = {
  askVisitScore: (store) => `您好！感谢您昨天光临${store}。请问您对这次到店接待的整体满意度打几分？请回复 1 到 10 之间的数字，10 分为非常满意。`,
  askDeliveryScore: (intro) => `${intro}\n请为这次交车的整体体验打个分：回复 1 到 10 之间的数字，10 分为非常满意。`,
  askReSurvey: (store) => `您好，针对您之前反馈的问题，${store}已经跟进处理。请问您现在对处理结果的满意度打几分？请回复 1 到 10 之间的数字。`,
  reminder: '打扰您了，想再请您为这次服务打个分（1 到 10 分），您的评价对我们很重要。回复"不想做问卷"即可跳过。',
  hint: '请回复 1 到 10 之间的数字，例如 9。',
  handedToStaff: '感谢您的回复！我们的客服同事会尽快与您联系。',
  askFactor: '很抱歉没能让您满意。请问是哪个环节让您失望？请回复序号：',
  askComment: '能简单说说具体情况吗？您的意见我们会认真对待。回复"无"可跳过。',
  thanksHigh: '非常感谢您的评价和支持！祝您生活愉快。',
  thanksLow: '感谢您的反馈，门店经理会尽快与您联系，给您一个满意的答复。',
  corrected: (score) => `好的，已为您更正为 ${score} 分。`,
  declined: '好的，本次问卷不再打扰您。感谢您的时间！',
};

const en: SurveyTexts = {
  askVisitScore: (store) => `Hello! Thank you for visiting ${store} yesterday. How satisfied were you with how we received you? Reply with a number from 1 to 10 (10 = very satisfied).`,
  askDeliveryScore: (intro) => `${intro}\nPlease rate the handover as a whole: reply with a number from 1 to 10 (10 = very satisfied).`,
  askReSurvey: (store) => `Hello, following up on your feedback: how satisfied are you now with how ${store} handled it? Reply with a number from 1 to 10.`,
  reminder: 'Sorry to bother you again: would you rate our service from 1 to 10? It matters to us. Reply "skip survey" to skip it.',
  hint: 'Please reply with a number from 1 to 10, e.g. 9.',
  handedToStaff: 'Thank you for your reply! A member of our customer care team will contact you shortly.',
  askFactor: 'We are sorry we did not meet your expectations. Which step disappointed you? Reply with its number:',
  askComment: 'Could you tell us a little more? We take it seriously. Reply "none" to skip.',
  thanksHigh: 'Thank you very much for your rating and your support!',
  thanksLow: 'Thank you for telling us. The store manager will contact you shortly to put things right.',
  corrected: (score) => `Done: we have changed your score to ${score}.`,
  declined: 'All right, we will not ask about this survey again. Thank you for your time!',
};

/** The survey texts in a locale. */
export function surveyTexts(locale: Locale): SurveyTexts {
  return locale === 'en' ? en : zh;
}
