import type { Clock } from '../clock.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { Database } from '../db/open-database.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';
import { GRADES, type Grade } from './cadence.ts';

/** Where a lead came from (Lead.source). */
export const LEAD_SOURCES = ['walk_in', 'online', 'phone', 'referral', 'other'] as const;

/** The filters of the leads page; every one optional. Dates are instants (the page reads them in the store's zone). */
export interface LeadFilter {
  consultantId?: string;
  /** `none`: leads nobody owns. */
  unowned?: boolean;
  grade?: Grade;
  source?: string;
  /** The next follow-up has passed. */
  overdue?: boolean;
  /** Put to the managers as not converted in time. */
  stale?: boolean;
  /** Moved to the marketing pool. */
  pooled?: boolean;
  /** First contact on or after / before. */
  from?: Date;
  to?: Date;
}

/** A page of leads at most this long. */
export const LEADS_PER_PAGE = 50;

/** The Prisma filter: the store's leads, a consultant's own only (whatever they ask for), then the filters. */
export function leadWhere(actor: Principal, filter: LeadFilter, now: Date): Prisma.LeadWhereInput {
  const everyone = may(actor, 'lead.manage', storeSubject(actor));
  const where: Prisma.LeadWhereInput = { storeId: actor.storeId };
  if (!everyone) where.ownerStaffId = actor.staffId;
  else if (filter.unowned) where.ownerStaffId = null;
  else if (filter.consultantId) where.ownerStaffId = filter.consultantId;
  if (filter.grade) where.grade = filter.grade;
  if (filter.source) where.source = filter.source;
  if (filter.overdue) where.nextFollowUpAt = { lt: now };
  if (filter.stale) where.staleFlaggedAt = { not: null };
  if (filter.pooled !== undefined) where.pool = filter.pooled ? 'MARKETING' : 'ACTIVE';
  if (filter.from || filter.to) where.firstVisitAt = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) };
  return where;
}

/** One page of the leads the actor may see, most overdue first, then by next follow-up; and how many match. */
export async function listLeads(db: Database, clock: Clock, actor: Principal, filter: LeadFilter, page: number) {
  const where = leadWhere(actor, filter, clock.now());
  const [total, leads] = await Promise.all([
    db.lead.count({ where }),
    db.lead.findMany({
      where, include: { customer: true, owner: true, lostRequests: { where: { status: 'PENDING' }, select: { id: true } } },
      orderBy: [{ nextFollowUpAt: { sort: 'asc', nulls: 'last' } }, { firstVisitAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * LEADS_PER_PAGE, take: LEADS_PER_PAGE,
    }),
  ]);
  return { total, leads };
}

/** Reads a grade typed or picked in a filter; undefined for anything else. */
export function gradeOf(text: string): Grade | undefined {
  return (GRADES as readonly string[]).includes(text) ? (text as Grade) : undefined;
}
