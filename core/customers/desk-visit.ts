import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { followVisit } from '../journeys/after-visit.ts';
import { atLocalTime, localDate } from '../journeys/local-time.ts';
import { customerSubject, may, type Principal } from '../staff/authorization.ts';

/** Why a 到店 was not recorded (Chinese, for the page). */
export class DeskVisitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeskVisitError';
  }
}

/**
 * The front desk marks a customer of the store as arrived (到店): a Visit received by the lead's
 * consultant, with the thank-you, the survey (unless one is due within the repeat window) and a
 * message to the consultant. Once per customer per local day: a second press the same day
 * changes nothing. Audited.
 */
export async function recordDeskVisit(db: Database, clock: Clock, actor: Principal, customerId: string, modelOfInterest: string): Promise<{ visitId: string }> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const lead = await tx.lead.findUnique({ where: { storeId_customerId: { storeId: actor.storeId, customerId } }, include: { customer: { include: { identities: { orderBy: { lastSeenAt: 'desc' }, take: 1 } } }, store: { include: { carModels: { where: { active: true } } } } } });
    if (!lead || lead.customer.erasedAt) throw new DeskVisitError('没有找到本店的这位客户。');
    if (!may(actor, 'visit.record', await customerSubject(tx, actor.storeId, customerId))) throw new DeskVisitError('这位客户由其他顾问负责：请前台或经理登记到店。');
    const today = atLocalTime(localDate(now, lead.store.timeZone), '00:00', lead.store.timeZone);
    if (await tx.visit.count({ where: { storeId: actor.storeId, customerId, visitedAt: { gte: today } } })) throw new DeskVisitError('这位客户今天已经登记过到店了。');
    const model = modelOfInterest.trim() === '' ? null : lead.store.carModels.find((m) => m.name === modelOfInterest.trim())?.name;
    if (model === undefined) throw new DeskVisitError('意向车型：请从本店车型中选择，或不填。');
    const visit = await tx.visit.create({
      data: { customerId, storeId: actor.storeId, consultantId: lead.ownerStaffId, channel: lead.customer.identities[0]?.channel ?? 'WEB', visitedAt: now, modelOfInterest: model, heardFrom: lead.source },
    });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'customer.visit', entity: 'customer', entityId: customerId, details: { visitId: visit.id }, at: now });
    await followVisit(tx, visit, true);
    return { visitId: visit.id };
  });
}
