import type { Locale } from '../config.ts';

/** Bump when the notice's wording changes; every consent record keeps the version it was given under. */
export const PRIVACY_NOTICE_VERSION = '2026-11-v1';

/** What the notice needs to name. */
export interface NoticeContext {
  storeName: string;
  hotline: string;
  retentionMonths: number;
}

/**
 * The short notice shown before anything is collected (PIPL): who collects, what, why, how
 * long it is kept, and how to withdraw.
 */
export function privacyNotice(ctx: NoticeContext, locale: Locale): string {
  if (locale === 'en') {
    return [
      `Privacy notice: ${ctx.storeName} collects your name, mobile number, the model you are interested in, how you heard of us and who came with you,`,
      'to register your visit, give you the gift and send service messages about this visit (a thank-you and a short satisfaction survey).',
      `If you do not buy a car, we delete these data ${ctx.retentionMonths} months after your last contact.`,
      `You can withdraw at any time: reply TD or STOP, or call ${ctx.hotline}; you can also ask for a copy or deletion of your data.`,
      'Marketing messages are a separate choice and never affect the gift.',
    ].join(' ');
  }
  return [
    `【个人信息告知】${ctx.storeName}将收集您的姓名、手机号、意向车型、了解渠道和同行人员，`,
    '仅用于登记本次到店、发放礼品，以及发送与本次到店相关的服务消息（感谢信息和满意度回访）。',
    `如未购车，我们将在您最后一次联系后 ${ctx.retentionMonths} 个月内删除这些信息。`,
    `您可随时撤回同意：回复"TD"或"退订"，或致电 ${ctx.hotline}；也可要求查阅、复制或删除您的信息。`,
    '营销信息需另行选择，不影响领取礼品。',
  ].join('');
}
