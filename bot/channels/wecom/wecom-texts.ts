// Customer-facing WeCom texts, in Simplified Chinese (WeCom customers are in mainland China).

/** The welcome sent with send_welcome_msg: who greets, and the personal link to the registration form. */
export function wecomWelcomeText(parts: { storeName: string | null; consultantName: string | null; link: string | null }): string {
  const who = parts.consultantName ? `我是您的专属销售顾问${parts.consultantName}` : '我是您的专属顾问';
  const where = parts.storeName ? `欢迎来到${parts.storeName}！` : '欢迎！';
  const form = parts.link ? `\n请点击下面的链接填写到店登记，即可领取到店礼品：\n${parts.link}` : '';
  return `您好，${where}${who}，有任何问题随时联系我。${form}`;
}

/** The managers' notice when a customer relationship ends. */
export function relationshipEndedText(parts: { consultantName: string; customerLabel: string; byCustomer: boolean }): string {
  return parts.byCustomer
    ? `【客户关系提醒】客户 ${parts.customerLabel} 已删除销售顾问 ${parts.consultantName} 的企业微信，请了解原因并及时跟进。`
    : `【客户关系提醒】销售顾问 ${parts.consultantName} 已删除客户 ${parts.customerLabel} 的企业微信好友，请确认是否需要重新分配该客户。`;
}
