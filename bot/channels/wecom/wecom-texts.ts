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

/** transfer_success_msg: what WeCom shows the customer once their new consultant has taken over (≤ 200 characters). */
export function transferSuccessText(parts: { fromName: string; toName: string }): string {
  return `您好，${parts.fromName}的工作已交接给同事${parts.toName}，之后由${parts.toName}继续为您服务，有任何问题随时联系。`.slice(0, 200);
}

/** Why a customer was not moved, for the managers: a transfer_fail FailReason, a transfer_result status or WeCom's errcode. */
export function transferFailureText(outcome: string): string {
  const known: Record<string, string> = {
    customer_refused: '客户拒绝', 'status 3': '客户拒绝',
    customer_limit_exceed: '接手顾问的客户数已达上限', 'status 4': '接手顾问的客户数已达上限', 'errcode 40099': '接手顾问的客户数已达上限',
    'errcode 40098': '接手顾问尚未实名认证', 'errcode 40128': '该客户 90 天内已被转接过两次',
    'errcode 40096': '不是该顾问的企业微信客户', 'errcode 40131': '不是该顾问的企业微信客户', 'errcode 84061': '不是该顾问的企业微信客户',
    'errcode 48002': '应用没有客户联系权限（客户联系 → 可调用接口的应用）', 'errcode 60111': '接手顾问的企业微信账号不存在',
  };
  return known[outcome] ?? `企业微信未能转接（${outcome}）`;
}
