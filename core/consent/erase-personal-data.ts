import { recordAudit } from '../audit/record-audit.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { cancelWaitingIntents } from '../outbox/intent-transitions.ts';
import { REDACTED_PAYLOAD } from '../scheduler/housekeeping-job.ts';
import { findMentions } from './mentions.ts';
import { personalDataScope, scopeWhere, type PersonalDataScope } from './personal-data-scope.ts';
import { cancelCustomerCare } from './stop-customer-care.ts';

/** Why a person's data are erased: they asked (in a proven chat or at the desk), or the retention period ran out. */
export type ErasureReason = 'request' | 'retention';

/** The customer profile (core/customers/customer-profile.ts) once erased: nothing of it left. */
const ERASED_PROFILE = { salutation: null, address: null, contactTime: null, contactWay: null, vehicleModel: null, vin: null, plate: null, driverName: null, notes: null };

/** What a handled inbox row's chat becomes once its person is erased. */
export const ERASED_CHAT = 'erased';

export interface ErasureInput {
  customerId: string;
  /** The store the audit entry is kept for. */
  storeId: string;
  /** Who erased: a staff member, or null (the customer in chat, or the retention job). */
  actorStaffId: string | null;
  reason: ErasureReason;
  /** The DataRequest it fulfils, when asked for. */
  requestId: string | null;
  now: Date;
}

/**
 * Anonymizes one person, in the caller's transaction, for good: their name, number and
 * birthday, their chats (identities, conversations, web chat, raw inbox updates), the free text
 * they wrote or staff wrote about them (survey comments, tickets, follow-up notes, lost-request
 * reasons, companions), held registrations and one-time codes with their number, the texts of their messages and the
 * details of audit entries about them; their mentions in staff messages, tasks and alerts are
 * replaced. Messages still waiting are cancelled, open surveys closed. Orders, vouchers, consents
 * and counts stay, anonymous. What remains is one audit entry: who, when, on what request, no
 * personal data. Idempotent: a person already erased is left as they are.
 *
 * Not touched: a message the dispatcher is sending at this moment (SENDING); the nightly
 * housekeeping blanks its text later.
 */
export async function erasePersonalData(tx: DatabaseTx, input: ErasureInput): Promise<'erased' | 'already_erased' | 'not_found'> {
  const customer = await tx.customer.findUnique({ where: { id: input.customerId }, select: { erasedAt: true } });
  if (!customer) return 'not_found';
  if (customer.erasedAt) return 'already_erased';
  const scope = (await personalDataScope(tx, input.customerId)) as PersonalDataScope;
  await replaceMentions(tx, scope);
  await eraseMessages(tx, scope, input.now);
  await eraseRecords(tx, scope, input.now);
  await tx.customer.update({
    where: { id: input.customerId },
    data: {
      name: '', phone: `erased:${input.customerId}`, birthday: null, birthdayCalendar: 'GREGORIAN', ...ERASED_PROFILE, careStoppedAt: input.now, careStoppedReason: 'erased', erasedAt: input.now,
    },
  });
  // Nothing is left to hand over or erase: every open request of theirs is done.
  await tx.dataRequest.updateMany({ where: { customerId: input.customerId, completedAt: null }, data: { completedAt: input.now, completedByStaffId: input.actorStaffId } });
  await recordAudit(tx, {
    storeId: input.storeId, actorStaffId: input.actorStaffId, action: 'customer.erased', entity: 'customer', entityId: input.customerId,
    details: { reason: input.reason, requestId: input.requestId }, at: input.now,
  });
  return 'erased';
}

async function replaceMentions(tx: DatabaseTx, scope: PersonalDataScope): Promise<void> {
  const mentions = await findMentions(tx, scope);
  for (const { row, replaced } of mentions.intents) await tx.messageIntent.update({ where: { id: row.id }, data: { payload: replaced } });
  for (const { row, replaced } of mentions.tasks) await tx.staffTask.update({ where: { id: row.id }, data: { text: replaced } });
  for (const { row, replaced } of mentions.alerts) await tx.alert.update({ where: { id: row.id }, data: { message: replaced } });
}

/** Their messages: waiting ones cancelled, texts and chat addresses blanked; their chats forgotten. */
async function eraseMessages(tx: DatabaseTx, scope: PersonalDataScope, now: Date): Promise<void> {
  const where = scopeWhere(scope);
  await cancelCustomerCare(tx, scope.customerId, 'customer data erased');
  await cancelWaitingIntents(tx, where.intents, 'customer data erased');
  await tx.messageIntent.updateMany({ where: { AND: [where.intents, { state: { not: 'SENDING' } }] }, data: { payload: REDACTED_PAYLOAD, variables: null, address: null } });
  await tx.staffTask.updateMany({ where: where.staffTasks, data: { text: '' } });
  await tx.staffTask.updateMany({ where: { ...where.staffTasks, doneAt: null }, data: { doneAt: now } });
  await tx.webChatMessage.deleteMany({ where: where.webChat });
  await tx.conversation.deleteMany({ where: where.conversations });
  // Updates not handled yet are left to the inbox worker (it reads them); handled ones keep only their ids.
  await tx.inboundUpdate.updateMany({ where: { AND: [where.inbound, { handledAt: { not: null } }] }, data: { payload: REDACTED_PAYLOAD, chatId: ERASED_CHAT } });
  await tx.wecomKfChat.deleteMany({ where: where.wecomChats });
  await tx.wecomKfWelcome.deleteMany({ where: where.wecomChats });
  await tx.wecomWelcome.deleteMany({ where: where.wecomWelcomes });
  // One-tap templates hold the text sent to them; a handover keeps that a customer moved, not who.
  await tx.wecomTemplateTask.deleteMany({ where: where.wecomTemplates });
  for (const transfer of await tx.wecomCustomerTransfer.findMany({ where: where.wecomTransfers, select: { id: true } })) {
    await tx.wecomCustomerTransfer.update({ where: { id: transfer.id }, data: { externalUserId: `erased:${transfer.id}` } });
  }
  await tx.channelIdentity.deleteMany({ where: { customerId: scope.customerId } });
}

/** Free text in their records, held registrations with their number, and audit details about them. */
async function eraseRecords(tx: DatabaseTx, scope: PersonalDataScope, now: Date): Promise<void> {
  const where = scopeWhere(scope);
  const { customerId } = scope;
  const leads = { leadId: { in: scope.leadIds } };
  await tx.visit.updateMany({ where: { customerId }, data: { companions: '' } });
  await tx.lead.updateMany({ where: { customerId }, data: { lostReason: null, nextFollowUpAt: null } });
  await tx.followUp.updateMany({ where: leads, data: { note: '' } });
  await tx.lostRequest.updateMany({ where: leads, data: { reason: '', decisionNote: null, competitorModel: null } });
  await tx.survey.updateMany({ where: { customerId }, data: { comment: null } });
  await tx.ticket.updateMany({ where: where.tickets, data: { description: '', rootCause: null, actionTaken: null, outcome: null, chatKey: null } });
  await tx.pendingRegistration.updateMany({ where: where.pending, data: { name: '', phone: '', request: '{}', chatId: null } });
  await tx.pendingRegistration.updateMany({ where: { ...where.pending, resolvedAt: null }, data: { resolvedAt: now } });
  await tx.auditEntry.updateMany({ where: where.audit, data: { details: '{}' } });
  await tx.phoneCode.deleteMany({ where: { phone: scope.phone } }); // one-time codes sent to their number (a day at most)
}
