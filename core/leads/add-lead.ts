import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { PRIVACY_NOTICE_VERSION } from '../consent/privacy-notice.ts';
import { isPlausibleName } from '../customers/customer-name.ts';
import { maskPhone, normalizePhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import { messageStaff } from '../outbox/staff-message.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';
import { proposeNextFollowUp } from './cadence.ts';
import { parseLeadSettings } from './lead-settings.ts';
import { FOLLOW_UP_GRADES } from './log-follow-up.ts';

/** How a lead that did not walk in reached the store. */
export const REMOTE_SOURCES = ['phone', 'online', 'referral', 'other'] as const;

/** A lead who phoned or wrote in, as staff type it. */
export interface NewLeadInput {
  name: string;
  phone: string;
  source: string;
  /** One of the store's models, or '' when not known. */
  model: string;
  grade: string;
  /** Omitted: the grade's cadence proposes it. */
  nextFollowUpAt?: Date | null;
  /** Who owns it: a consultant adding it owns it; others pick a consultant ('' = nobody yet). */
  ownerStaffId: string;
  /** The customer agreed on the call (after hearing the privacy notice) to receive service messages. */
  serviceConsent: boolean;
}

/** A lead that cannot be added: per field, what to fix (Chinese). */
export class NewLeadInvalidError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.name = 'NewLeadInvalidError';
  }
}

/** `created`: a new lead; `existing`: the number is already a lead of the store (nothing changed). */
export type NewLeadResult = { status: 'created' | 'existing'; leadId: string; customerId: string; ownerName: string | null };

/** Where a consent given on a staff member's call is recorded from. */
export const CALL_CONSENT_SOURCE = 'staff-call';

/**
 * Adds a lead who phoned or wrote in (电话/网络线索): no visit, no voucher, no thank-you or
 * survey, and no consent pretended — service consent is recorded only when the customer gave it
 * on the call (`serviceConsent`), marketing never. A number that is already a customer is that
 * customer (their name stays); a number already a lead of the store returns that lead unchanged.
 * Audited; the owner is told when someone else added it.
 */
export async function addLead(db: Database, clock: Clock, actor: Principal, input: NewLeadInput): Promise<NewLeadResult> {
  if (!may(actor, 'lead.add', storeSubject(actor))) throw new NewLeadInvalidError({ role: '您不能登记线索。' });
  const now = clock.now();
  const errors: Record<string, string> = {};
  const name = input.name.trim();
  const phone = normalizePhone(input.phone);
  if (!isPlausibleName(name)) errors.name = '姓名：1–30 个字。';
  if (!phone) errors.phone = '手机号：请填写有效的手机号，例如 138 1234 5678。';
  if (!(REMOTE_SOURCES as readonly string[]).includes(input.source)) errors.source = '来源：电话、网络、转介绍或其他。';
  if (!(FOLLOW_UP_GRADES as readonly string[]).includes(input.grade)) errors.grade = '级别：N、H、A、B、C。';
  if (input.nextFollowUpAt && input.nextFollowUpAt <= now) errors.nextFollowUpAt = '下次跟进：必须晚于现在。';
  if (Object.keys(errors).length > 0) throw new NewLeadInvalidError(errors);
  const grade = input.grade as (typeof FOLLOW_UP_GRADES)[number];
  return db.$transaction(async (tx) => {
    const store = await tx.store.findUniqueOrThrow({ where: { id: actor.storeId }, include: { carModels: { where: { active: true } } } });
    const model = input.model.trim() === '' ? null : store.carModels.find((m) => m.name.toLowerCase() === input.model.trim().toLowerCase())?.name;
    if (model === undefined) throw new NewLeadInvalidError({ model: `车型：本店车型为 ${store.carModels.map((m) => m.name).join('、')}，或不填。` });
    const ownerId = actor.role === 'CONSULTANT' ? actor.staffId : input.ownerStaffId || null;
    const owner = ownerId ? await tx.staff.findFirst({ where: { id: ownerId, storeId: actor.storeId, role: 'CONSULTANT', active: true } }) : null;
    if (ownerId && !owner) throw new NewLeadInvalidError({ ownerStaffId: '负责顾问：请选择本店在职的销售顾问。' });
    const customer = (await tx.customer.findUnique({ where: { phone: phone as string } })) ?? (await tx.customer.create({ data: { name, phone: phone as string } }));
    const existing = await tx.lead.findUnique({ where: { storeId_customerId: { storeId: actor.storeId, customerId: customer.id } }, include: { owner: true } });
    if (existing) return { status: 'existing', leadId: existing.id, customerId: customer.id, ownerName: existing.owner?.name ?? null };
    const nextFollowUpAt = input.nextFollowUpAt ?? proposeNextFollowUp(grade, now, parseLeadSettings(store.leadSettings));
    const lead = await tx.lead.create({
      data: { storeId: actor.storeId, customerId: customer.id, ownerStaffId: owner?.id ?? null, grade, gradedAt: grade === 'N' ? null : now, source: input.source, modelOfInterest: model, firstVisitAt: now, nextFollowUpAt },
    });
    if (input.serviceConsent) {
      await tx.consentRecord.create({ data: { customerId: customer.id, purpose: 'SERVICE', granted: true, source: `${CALL_CONSENT_SOURCE}:${actor.staffId}`, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now } });
    }
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'lead.added', entity: 'Lead', entityId: lead.id, at: now, details: { source: input.source, model, grade, serviceConsent: input.serviceConsent } });
    if (owner && owner.id !== actor.staffId) {
      await messageStaff(tx, {
        storeId: actor.storeId, staffId: owner.id, dedupeKey: `lead-added:${lead.id}`, kind: 'lead_added', now,
        text: `【新线索】${customer.name}（${maskPhone(customer.phone)}，${input.source === 'phone' ? '来电' : '网络'}，${grade}级${model ? `，${model}` : ''}）已分配给您，请尽快联系。发送“今日”查看。`,
      });
    }
    return { status: 'created', leadId: lead.id, customerId: customer.id, ownerName: owner?.name ?? null };
  });
}
