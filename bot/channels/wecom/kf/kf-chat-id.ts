// 微信客服 chats in the core's WECOM chat namespace. Contact-me external contacts use the bare
// external_userid; kf chats are prefixed, so the two never collide and the WeCom channel can tell
// which sender a WECOM address belongs to.

const PREFIX = 'kf:';

/** The core's chat id for a 微信客服 customer: `kf:<external_userid>`. */
export function kfChatId(externalUserId: string): string {
  return `${PREFIX}${externalUserId}`;
}

/** The external_userid of a kf chat id; null for any other WECOM address (a contact-me customer, an employee). */
export function kfExternalUserId(chatId: string): string | null {
  return chatId.startsWith(PREFIX) && chatId.length > PREFIX.length ? chatId.slice(PREFIX.length) : null;
}

/** The inbox's update id for one kf/sync_msg entry: `kf:<msgid>`, unique per channel. */
export function kfUpdateId(msgid: string): string {
  return `${PREFIX}${msgid}`;
}
