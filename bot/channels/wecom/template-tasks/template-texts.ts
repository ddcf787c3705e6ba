// What consultants and managers read about one-tap template tasks (app messages, Simplified
// Chinese like the rest of the staff side). The customer's text is quoted as it will be sent;
// customers are named without their phone number (chat notices never carry one).

const QUOTE = '——————';

/** The template exists: one tap in WeCom sends it. */
export function askToConfirmText(parts: { customerName: string; text: string }): string {
  return `【待发送给客户】给${parts.customerName}的消息已放进企业微信「群发助手」：打开企业微信里「群发助手」的通知，点「发送」即可一键发给该客户（只发给这一位客户）。内容如下：\n${QUOTE}\n${parts.text}`;
}

/** No template could be made (or WeCom could not deliver it): the consultant forwards it by hand. */
export function forwardByHandText(parts: { customerName: string; reason: string; text: string }): string {
  return `【请转达给客户】给${parts.customerName}的消息无法通过企业微信群发发送（${parts.reason}）。请通过企业微信聊天或电话转达，内容如下：\n${QUOTE}\n${parts.text}`;
}

/** The one reminder. */
export function chaseText(parts: { customerName: string; askedAt: string }): string {
  return `【提醒】${parts.askedAt} 放进「群发助手」的给${parts.customerName}的消息还没有发送。请打开企业微信「群发助手」点「发送」；如已用其他方式转达，请告知经理。`;
}

/** The managers' report after the reminder went unanswered. */
export function reportText(parts: { consultantName: string; customerName: string; askedAt: string }): string {
  return `【待办未完成】销售顾问${parts.consultantName}在 ${parts.askedAt} 收到的给客户${parts.customerName}的消息（企业微信群发，需顾问确认）催办一次后仍未发送，请跟进。详见管理后台“消息发送队列”（/admin/outbox）。`;
}

/** Why WeCom did not deliver a confirmed template (get_groupmsg_send_result status 2 and 3). */
export const UNDELIVERED_REASONS: Readonly<Record<2 | 3, string>> = {
  2: '客户已不是您的企业微信好友',
  3: '客户本月收到的企业群发已达 4 条上限',
};
