import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { customerSubject, may, type Principal } from '../staff/authorization.ts';
import { isPlausibleName } from './customer-name.ts';
import { customersOfStore } from './customers-of-store.ts';
import { SALUTATIONS } from './honorific.ts';
import { normalizePhone } from './phone.ts';
import { isValidVin, normalizePlate } from './vehicle-ids.ts';

/** How a customer prefers to be contacted. */
export const CONTACT_WAYS = ['phone', 'wechat', 'sms', 'visit'] as const;

/** The profile as staff edit it; '' clears a field. */
export interface ProfileInput {
  name: string;
  phone: string;
  salutation: string;
  address: string;
  contactTime: string;
  contactWay: string;
  vehicleModel: string;
  vin: string;
  plate: string;
  driverName: string;
  notes: string;
}

/** The stored profile fields (null = not known). */
export type ProfileFields = { name: string; phone: string } & Record<Exclude<keyof ProfileInput, 'name' | 'phone'>, string | null>;

/** A profile that cannot be saved: per field, what to fix (in Chinese, shown beside the field). */
export class ProfileInvalidError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.name = 'ProfileInvalidError';
  }
}

const LIMITS = { address: 200, contactTime: 60, vehicleModel: 60, notes: 1000 } as const;

/** Checks every field at once; returns the values to store. */
export function validateProfile(input: ProfileInput, delivered: boolean): ProfileFields {
  const errors: Record<string, string> = {};
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  if (!isPlausibleName(input.name.trim())) errors.name = '姓名：1–30 个字，不能含链接或尖括号。';
  const phone = normalizePhone(input.phone);
  if (!phone) errors.phone = '手机号：请填写有效的手机号，例如 138 1234 5678。';
  if (input.salutation !== '' && !(SALUTATIONS as readonly string[]).includes(input.salutation)) errors.salutation = '称呼：只能选 先生、女士 或不填。';
  if (input.contactWay !== '' && !(CONTACT_WAYS as readonly string[]).includes(input.contactWay)) errors.contactWay = '联系方式：请从列表中选择。';
  for (const [field, max] of Object.entries(LIMITS)) {
    if (input[field as keyof typeof LIMITS].trim().length > max) errors[field] = `最多 ${max} 个字。`;
  }
  const driverName = optional(input.driverName);
  if (driverName && !isPlausibleName(driverName)) errors.driverName = '用车人：1–30 个字的姓名，或不填（本人用车）。';
  const vin = optional(input.vin.toUpperCase());
  const plate = optional(input.plate) === null ? null : normalizePlate(input.plate);
  if (vin && !isValidVin(vin)) errors.vin = '车架号：17 位数字和大写字母（没有 I、O、Q），第 9 位是校验位；请对照行驶证核对。';
  if (optional(input.plate) && !plate) errors.plate = '车牌号：例如 沪A12345 或新能源 沪AD12345。';
  if (!delivered && (vin || plate || optional(input.vehicleModel))) errors.vehicle = '车辆信息：交车后才能填写（先在“订单与交车”确认交车）。';
  if (Object.keys(errors).length > 0) throw new ProfileInvalidError(errors);
  return {
    name: input.name.trim(), phone: phone as string, salutation: optional(input.salutation), address: optional(input.address), contactTime: optional(input.contactTime),
    contactWay: optional(input.contactWay), vehicleModel: optional(input.vehicleModel), vin, plate, driverName, notes: optional(input.notes),
  };
}

const FIELDS = ['name', 'phone', 'salutation', 'address', 'contactTime', 'contactWay', 'vehicleModel', 'vin', 'plate', 'driverName', 'notes'] as const;

/**
 * Saves a customer's profile, audited with the fields that changed (before and after). Only a
 * customer of the actor's store, by their consultant, a manager or an admin; vehicle details
 * only after a delivery at the store; a number that belongs to another customer is refused.
 * Returns the names of the fields that changed.
 */
export async function saveCustomerProfile(db: Database, clock: Clock, actor: Principal, customerId: string, input: ProfileInput): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({ where: { id: customerId, erasedAt: null, ...customersOfStore(actor.storeId) } });
    if (!customer) throw new ProfileInvalidError({ customer: '没有找到本店的这位客户。' });
    if (!may(actor, 'customer.care', await customerSubject(tx, actor.storeId, customer.id))) throw new ProfileInvalidError({ customer: '这位客户由其他顾问负责，只有他的顾问或经理可以修改资料。' });
    const delivered = (await tx.order.count({ where: { customerId, storeId: actor.storeId, status: 'DELIVERED' } })) > 0;
    const after = validateProfile(input, delivered);
    if (after.phone !== customer.phone && (await tx.customer.count({ where: { phone: after.phone } })) > 0) {
      throw new ProfileInvalidError({ phone: '手机号：这个号码已属于另一位客户，不能改成它。' });
    }
    const changed = FIELDS.filter((field) => customer[field] !== after[field]);
    if (changed.length === 0) return [];
    await tx.customer.update({ where: { id: customer.id }, data: after });
    await recordAudit(tx, {
      storeId: actor.storeId, actorStaffId: actor.staffId, action: 'customer.profile', entity: 'customer', entityId: customer.id, at: clock.now(),
      details: { before: Object.fromEntries(changed.map((f) => [f, customer[f]])), after: Object.fromEntries(changed.map((f) => [f, after[f]])) },
    });
    return changed;
  });
}
