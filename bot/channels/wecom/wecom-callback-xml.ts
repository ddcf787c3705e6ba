// WeCom callback XML → the events the WeCom channel handles, as a discriminated union. Shapes from
// the documentation: 接收消息 (app messages from employees), 客户联系 → 事件格式
// (change_external_contact, path/92277) and 微信客服 → 接收消息和事件 (kf_msg_or_event, path/94670).
// WeCom retries a callback it got no timely answer to, so every event carries a de-duplication
// key built from its own identity.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An employee's text message to the app: how staff send commands. */
export interface AppTextMessage { kind: 'app-text'; dedupeKey: string; corpId: string; fromUserId: string; agentId: string; msgId: string; content: string; createTime: number }

/** A customer added an employee (add_external_contact), or was added without verification (add_half_external_contact). */
export interface ExternalContactAdded {
  kind: 'external-contact-added';
  dedupeKey: string;
  /** `half`: the customer added the employee but may not have been accepted yet. */
  changeType: 'add_external_contact' | 'add_half_external_contact';
  userId: string;
  externalUserId: string;
  /** The contact way's `state` (which QR code was scanned), when there is one. */
  state?: string;
  /** For send_welcome_msg within 20 s; absent when a welcome is configured in the admin console. */
  welcomeCode?: string;
  createTime: number;
}

/** The employee deleted the customer (del_external_contact) or the customer deleted the employee (del_follow_user). */
export interface ExternalContactRemoved { kind: 'external-contact-removed'; dedupeKey: string; changeType: 'del_external_contact' | 'del_follow_user'; userId: string; externalUserId: string; source?: string; createTime: number }

/** A transfer to `userId` failed (transfer_fail): FailReason customer_refused or customer_limit_exceed. */
export interface TransferFailed { kind: 'transfer-failed'; dedupeKey: string; userId: string; externalUserId: string; failReason: string; createTime: number }

/** New 微信客服 messages or events wait in kf/sync_msg; `token` makes that call cheap for 10 minutes. */
export interface KfMessagesWaiting { kind: 'kf-msg-or-event'; dedupeKey: string; token: string; openKfId: string; createTime: number }

/** Anything else: acknowledged and not acted on. */
export interface IgnoredCallback { kind: 'ignored'; dedupeKey: string; msgType: string; event?: string; changeType?: string }

/** A decrypted callback, normalized. */
export type WecomCallbackEvent = AppTextMessage | ExternalContactAdded | ExternalContactRemoved | TransferFailed | KfMessagesWaiting | IgnoredCallback;

/** The outer (still encrypted) body of a callback POST. */
export interface WecomEnvelope { toUserName: string; agentId?: string; encrypt: string }

/** A callback body or its plaintext is larger than WeCom ever sends; refused unread. */
const MAX_XML_CHARS = 512 * 1024;

// Every value stays a string (no number parsing, CDATA unwrapped into the text), attributes are
// ignored, and only XML's five named entities are decoded (numeric references are left as written;
// WeCom sends text in CDATA): a DOCTYPE, and with it any entity definition, is refused before parsing.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses `<xml>…</xml>` into a flat record of its child elements' texts; null when it is not that. */
function parseFlat(xml: string): Record<string, string> | null {
  if (xml.length > MAX_XML_CHARS || /<!DOCTYPE|<!ENTITY/i.test(xml)) return null;
  if (XMLValidator.validate(xml) !== true) return null;
  let root: unknown;
  try {
    root = (parser.parse(xml) as Record<string, unknown>).xml;
  } catch {
    return null;
  }
  if (root === '') return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return null;
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(root)) if (typeof value === 'string') flat[key] = value;
  return flat;
}

/** Reads the outer envelope of a callback POST (`<xml><ToUserName/><Encrypt/><AgentID/></xml>`). */
export function parseWecomEnvelope(body: string): { ok: true; envelope: WecomEnvelope } | { ok: false } {
  const fields = parseFlat(body);
  const encrypt = fields?.Encrypt;
  if (!fields || !encrypt) return { ok: false };
  return { ok: true, envelope: { toUserName: fields.ToUserName ?? '', encrypt, ...(fields.AgentID ? { agentId: fields.AgentID } : {}) } };
}

/**
 * Normalizes a decrypted callback. `{ ok: false }` for XML that cannot be read; a well-formed
 * callback the channel does not handle is `{ kind: 'ignored' }`, as is a handled one that lacks a
 * field the channel needs.
 */
export function parseWecomCallback(xml: string): { ok: true; event: WecomCallbackEvent } | { ok: false } {
  const f = parseFlat(xml);
  if (!f) return { ok: false };
  return { ok: true, event: normalize(f) };
}

function normalize(f: Record<string, string>): WecomCallbackEvent {
  const msgType = f.MsgType ?? '';
  const createTime = Number(f.CreateTime ?? '0') || 0;
  if (msgType === 'text' && f.FromUserName && f.MsgId && f.Content !== undefined) {
    const agentId = f.AgentID ?? '';
    return { kind: 'app-text', dedupeKey: `msg:${agentId}:${f.MsgId}`, corpId: f.ToUserName ?? '', fromUserId: f.FromUserName, agentId, msgId: f.MsgId, content: f.Content, createTime };
  }
  if (msgType === 'event' && f.Event === 'change_external_contact') {
    const handled = externalContactEvent(f, createTime);
    if (handled) return handled;
  }
  if (msgType === 'event' && f.Event === 'kf_msg_or_event' && f.Token && f.OpenKfId) {
    return { kind: 'kf-msg-or-event', dedupeKey: `kf_msg_or_event:${f.OpenKfId}:${f.Token}`, token: f.Token, openKfId: f.OpenKfId, createTime };
  }
  return ignored(f, msgType);
}

function externalContactEvent(f: Record<string, string>, createTime: number): WecomCallbackEvent | null {
  const { ChangeType: changeType, UserID: userId, ExternalUserID: externalUserId } = f;
  if (!changeType || !userId || !externalUserId) return null;
  const dedupeKey = `change_external_contact:${changeType}:${userId}:${externalUserId}:${f.CreateTime ?? ''}`;
  switch (changeType) {
    case 'add_external_contact':
    case 'add_half_external_contact':
      return { kind: 'external-contact-added', dedupeKey, changeType, userId, externalUserId, createTime, ...(f.State ? { state: f.State } : {}), ...(f.WelcomeCode ? { welcomeCode: f.WelcomeCode } : {}) };
    case 'del_external_contact':
    case 'del_follow_user':
      return { kind: 'external-contact-removed', dedupeKey, changeType, userId, externalUserId, createTime, ...(f.Source ? { source: f.Source } : {}) };
    case 'transfer_fail':
      return { kind: 'transfer-failed', dedupeKey, userId, externalUserId, failReason: f.FailReason ?? '', createTime };
    default:
      return null;
  }
}

function ignored(f: Record<string, string>, msgType: string): IgnoredCallback {
  // MsgId when there is one; otherwise the event's own fields in a fixed order.
  const identity = f.MsgId ?? [f.Event, f.ChangeType, f.FromUserName, f.UserID, f.ExternalUserID, f.CreateTime].map((part) => part ?? '').join(':');
  return { kind: 'ignored', dedupeKey: `ignored:${msgType}:${identity}`, msgType, ...(f.Event ? { event: f.Event } : {}), ...(f.ChangeType ? { changeType: f.ChangeType } : {}) };
}
