import type { Locale } from '../../core/config.ts';
import { maskPhone } from '../../core/customers/phone.ts';
import { handleInboundMessage } from '../../core/inbound/handle-inbound-message.ts';
import { recordInboundUpdate } from '../../core/inbox/record-inbound-update.ts';
import type { ChannelName, InboundEvent } from '../../core/messages.ts';
import { raiseAlert } from '../../core/outbox/alerts.ts';
import { messageStaff } from '../../core/outbox/staff-message.ts';
import { recordOrder } from '../../core/orders/order-service.ts';
import { registerCustomer } from '../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../core/registration/registration-request.ts';
import type { CoreParts } from './test-core.ts';

let updates = 0;

/** A chat message as a channel's intake stores it (a raw update holding what was typed) and the pipeline handles it; `locale` as the platform tells it. */
export async function chatSays(t: CoreParts, chat: { channel: ChannelName; chatId: string }, event: InboundEvent, raw: Record<string, unknown> = {}, locale?: Locale) {
  const updateId = `u${(updates += 1)}`;
  await recordInboundUpdate(t.ctx.db, { ...chat, updateId, payload: JSON.stringify({ update_id: updateId, message: { chat: { id: chat.chatId }, ...raw, event } }), receivedAt: t.clock.now() });
  const row = await t.ctx.db.inboundUpdate.findUniqueOrThrow({ where: { channel_updateId: { channel: chat.channel, updateId } } });
  return handleInboundMessage(t.ctx.inbound, { ...chat, updateId, event, ...(locale ? { locale } : {}) }, { kind: 'inbox', rowId: row.id });
}

/** Text typed in a chat. */
export const say = (t: CoreParts, chat: { channel: ChannelName; chatId: string }, text: string, locale?: Locale) => chatSays(t, chat, { kind: 'text', text }, { text }, locale);

/** What a seeded person is known by. */
export interface SeededPerson {
  customerId: string;
  name: string;
  phone: string;
  /** The chat proven by an SMS code at registration. */
  chat: { channel: ChannelName; chatId: string };
}

/**
 * A customer with data in every place a person leaves traces: registered from a Telegram chat
 * proven by an SMS code (identity, visit, registration, voucher, consents, thank-you, survey),
 * a full customer profile (address, vehicle, driver, notes naming them),
 * chat messages in the inbox with replies and a conversation, a complaint written with their
 * name and number, a web chat with messages, an order with its reminders and audit trail, a
 * follow-up note and a lost request naming them, a survey comment, a staff task, a staff message
 * and an alert mentioning them, a one-time code sent to their number, and a registration with
 * their number held from a stranger's chat.
 */
export async function seedPerson(t: CoreParts, who: { name: string; phone: string; tag: string }): Promise<SeededPerson> {
  const db = t.ctx.db;
  const chat = { channel: 'TELEGRAM' as const, chatId: `tg-${who.tag}` };
  const registration = { source: 'showroom', name: who.name, phone: who.phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true, marketingConsent: true };
  const registered = await registerCustomer(db, t.clock, parseRegistrationRequest(registration), { ...chat, surface: 'telegram-chat', locale: 'zh-CN', proof: { method: 'sms_code', phone: who.phone } });
  const customerId = registered.customerId as string;
  const customer = await db.customer.update({
    where: { id: customerId },
    data: {
      birthday: '1990-05-17', salutation: '女士', address: `${who.name}家 幸福路 8 号`, contactTime: '工作日晚上', contactWay: 'wechat',
      vehicleModel: '城市SUV', vin: 'LSVAA4183E2184615', plate: '沪A12345', driverName: `${who.name}的爱人`, notes: `${who.name}喜欢白色，备用电话 ${who.phone}`,
    },
  });
  const { name, phone } = customer;
  await say(t, chat, `你好，我是${name}，电话 ${phone}`);
  await say(t, chat, `我要投诉：${name}（${phone}）等了很久`);
  const web = { channel: 'WEB' as const, chatId: `web-${who.tag}` };
  await db.channelIdentity.create({ data: { customerId, channel: web.channel, externalId: web.chatId, proof: 'front_desk', createdAt: t.clock.now(), lastSeenAt: t.clock.now() } });
  await db.webChatMessage.create({ data: { chatId: web.chatId, intentId: `seed-${who.tag}`, payload: JSON.stringify({ kind: 'text', text: `${name}，您好` }), createdAt: t.clock.now() } });
  const actor = { storeId: t.setup.storeId, staffId: t.setup.adminStaffId, role: 'ADMIN' as const };
  await recordOrder(db, t.clock, actor, { customerId, model: '城市SUV', deliveryAt: new Date(t.clock.now().getTime() + 10 * 24 * 3600_000) });
  const lead = await db.lead.findFirstOrThrow({ where: { customerId } });
  await db.followUp.create({ data: { leadId: lead.id, staffId: t.setup.adminStaffId, way: 'call', note: `${name} 说下周再来，手机 ${phone}`, gradeBefore: 'N', gradeAfter: 'A', at: t.clock.now() } });
  await db.lostRequest.create({ data: { leadId: lead.id, requestedById: t.setup.adminStaffId, level: 3, reason: `${name}暂不需要`, status: 'REJECTED', decisionNote: `再联系${name}`, createdAt: t.clock.now() } });
  await db.survey.updateMany({ where: { customerId }, data: { comment: `${name}：接待很好` } });
  await db.staffTask.create({ data: { storeId: t.setup.storeId, staffId: t.setup.adminStaffId, customerId, kind: 'forward', text: `请转发给${name}（${maskPhone(phone)}）`, createdAt: t.clock.now() } });
  await db.$transaction(async (tx) => {
    await messageStaff(tx, { storeId: t.setup.storeId, staffId: t.setup.adminStaffId, dedupeKey: `seed-mention:${who.tag}`, kind: 'lost_request', text: `新的战败申请：${name}（${maskPhone(phone)}）`, now: t.clock.now() });
    await raiseAlert(tx, { storeId: t.setup.storeId, kind: 'inbound_failed', message: `来自 ${phone} 的消息无法处理`, now: t.clock.now(), announce: false });
  });
  // A one-time code went to their number (kept a day at most).
  await db.phoneCode.create({ data: { phone, requester: `WEB:${web.chatId}`, createdAt: t.clock.now(), expiresAt: new Date(t.clock.now().getTime() + 300_000) } });
  // Someone else types their number in another browser: held for the desk, with what was typed.
  await registerCustomer(db, t.clock, parseRegistrationRequest({ ...registration, name: `${name}本人` }), { channel: 'WEB', chatId: `stranger-${who.tag}`, surface: 'web-form', locale: 'zh-CN' });
  return { customerId, name, phone, chat };
}
