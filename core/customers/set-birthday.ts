import { customerSubject, may, type Principal } from '../staff/authorization.ts';
import { customersOfStore } from './customers-of-store.ts';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { recordAudit } from '../audit/record-audit.ts';

/** A birthday that cannot be saved; `message` says what to fix. */
export class BirthdayInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BirthdayInvalidError';
  }
}

/**
 * Saves (or, with null, removes) a customer's date of birth and the calendar they celebrate
 * by, audited. Only for a customer of the staff member's store; the date must be real, past,
 * and at most 120 years ago.
 */
export async function setCustomerBirthday(
  db: Database, clock: Clock, actor: Principal,
  customerId: string, birthday: string | null, calendar: 'GREGORIAN' | 'LUNAR',
): Promise<void> {
  if (birthday !== null) {
    const date = DateTime.fromISO(birthday, { zone: 'UTC' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthday) || !date.isValid) throw new BirthdayInvalidError('生日必须是有效的日期，例如 1988-05-20。');
    const today = DateTime.fromJSDate(clock.now(), { zone: 'UTC' });
    if (date > today) throw new BirthdayInvalidError('生日不能晚于今天。');
    if (today.diff(date, 'years').years > 120) throw new BirthdayInvalidError('生日不能早于 120 年前。');
  }
  await db.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({
      where: { id: customerId, ...customersOfStore(actor.storeId) },
    });
    if (!customer) throw new BirthdayInvalidError('没有找到本店的这位客户。');
    if (!may(actor, 'customer.care', await customerSubject(tx, actor.storeId, customer.id))) throw new BirthdayInvalidError('这位客户由其他顾问负责，只有他的顾问或经理可以修改生日。');
    await tx.customer.update({ where: { id: customer.id }, data: { birthday, birthdayCalendar: calendar } });
    await recordAudit(tx, {
      storeId: actor.storeId, actorStaffId: actor.staffId, action: 'customer.birthday', entity: 'customer', entityId: customer.id, at: clock.now(),
      details: { before: { birthday: customer.birthday, calendar: customer.birthdayCalendar }, after: { birthday, calendar } },
    });
  });
}
