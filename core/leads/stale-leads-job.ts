import { DateTime } from 'luxon';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { localDate } from '../journeys/local-time.ts';
import type { Logger } from '../logger.ts';
import { messageStaff, storeManagers } from '../outbox/staff-message.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { parseLeadSettings, type LeadSettings } from './lead-settings.ts';
import { dailyCron, type NudgeStore } from './nudge-jobs.ts';
import { listLines } from './nudge-texts.ts';

/** Grades still being worked on: not ordered, delivered or lost. */
const OPEN_GRADES = ['N', 'H', 'A', 'B', 'C'] as const;

type StaleLead = { id: string; ownerStaffId: string | null; grade: string; customer: { name: string; phone: string }; owner: { name: string } | null };
type Consultant = { id: string; name: string; senior: boolean; load: number };

/**
 * Picks the suggested new owner of a stale lead: among active consultants other than its owner
 * (only the senior ones when the store says so and it has any), the one with the fewest open
 * leads; the pick counts towards their load, so one run spreads its suggestions.
 */
export function suggestOwner(consultants: Consultant[], currentOwnerId: string | null, rule: LeadSettings['reassignSuggestion']): Consultant | null {
  const others = consultants.filter((c) => c.id !== currentOwnerId);
  const seniors = others.filter((c) => c.senior);
  const pool = rule === 'senior' && seniors.length > 0 ? seniors : others;
  const pick = [...pool].sort((a, b) => a.load - b.load)[0] ?? null;
  if (pick) pick.load += 1;
  return pick;
}

/** The store's active consultants, each with their number of open leads (the load `suggestOwner` balances). */
export async function consultantsWithLoad(tx: DatabaseTx, storeId: string): Promise<Consultant[]> {
  const staff = await tx.staff.findMany({ where: { storeId, role: 'CONSULTANT', active: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, name: true, senior: true } });
  const loads = await tx.lead.groupBy({ by: ['ownerStaffId'], where: { storeId, pool: 'ACTIVE', grade: { in: [...OPEN_GRADES] } }, _count: { _all: true } });
  const loadOf = new Map(loads.map((l) => [l.ownerStaffId, l._count._all]));
  return staff.map((s) => ({ ...s, load: loadOf.get(s.id) ?? 0 }));
}

const line = (lead: StaleLead) => `${lead.customer.name}（${maskPhone(lead.customer.phone)}）${lead.grade}级，顾问 ${lead.owner?.name ?? '无'}`;

/** Moves leads past the pool age to the marketing pool; returns them. */
async function poolOldLeads(tx: DatabaseTx, storeId: string, before: Date, now: Date): Promise<StaleLead[]> {
  const leads = await tx.lead.findMany({ where: { storeId, pool: 'ACTIVE', grade: { in: [...OPEN_GRADES] }, firstVisitAt: { lte: before } }, include: { customer: true, owner: true }, orderBy: { firstVisitAt: 'asc' } });
  for (const lead of leads) {
    await tx.lead.update({ where: { id: lead.id }, data: { pool: 'MARKETING', pooledAt: now, nextFollowUpAt: null } });
    await recordAudit(tx, { storeId, actorStaffId: null, action: 'lead_pooled', entity: 'Lead', entityId: lead.id, details: { firstVisitAt: lead.firstVisitAt, owner: lead.ownerStaffId, grade: lead.grade }, at: now });
  }
  return leads;
}

/** Flags leads past the reassignment age once, with a suggested owner each; returns the lines for the managers. */
async function flagStaleLeads(tx: DatabaseTx, storeId: string, before: Date, settings: LeadSettings, now: Date): Promise<string[]> {
  const candidates = await tx.lead.findMany({ where: { storeId, pool: 'ACTIVE', grade: { in: [...OPEN_GRADES] }, firstVisitAt: { lte: before }, staleFlaggedAt: null }, include: { customer: true, owner: true }, orderBy: { firstVisitAt: 'asc' } });
  // Put to the managers once: a lead they already reassigned (its flag cleared) is not put again.
  const flaggedBefore = await tx.auditEntry.findMany({ where: { action: 'lead_stale_flagged', entity: 'Lead', entityId: { in: candidates.map((l) => l.id) } }, select: { entityId: true } });
  const seen = new Set(flaggedBefore.map((a) => a.entityId));
  const leads = candidates.filter((l) => !seen.has(l.id));
  const consultants = await consultantsWithLoad(tx, storeId);
  const lines: string[] = [];
  for (const lead of leads) {
    const suggested = suggestOwner(consultants, lead.ownerStaffId, settings.reassignSuggestion);
    await tx.lead.update({ where: { id: lead.id }, data: { staleFlaggedAt: now } });
    await recordAudit(tx, { storeId, actorStaffId: null, action: 'lead_stale_flagged', entity: 'Lead', entityId: lead.id, details: { owner: lead.ownerStaffId, suggested: suggested?.id ?? null }, at: now });
    lines.push(suggested ? `${line(lead)} → 建议转给 ${suggested.name}${suggested.senior ? '（资深）' : ''}` : `${line(lead)} → 本店没有其他在职顾问可转交`);
  }
  return lines;
}

/**
 * Daily, an hour into staff hours: leads not converted within `reassignAfterMonths` of the
 * first visit (calendar months in the store's zone) are put to the managers once, each with a
 * suggested new owner; those past `reassignAfterMonths + poolAfterMonths` move to the marketing
 * pool (out of today lists and nudges). One message per manager per day, audited, in one
 * transaction; a missed day is caught up, since what is due is read from the leads.
 */
export function staleLeadsJob(db: Database, clock: Clock, logger: Logger, store: NudgeStore): CalendarJob {
  return {
    name: `stale-leads:${store.id}`, cron: dailyCron(store.staffHoursStart, '08:30', -60), timeZone: store.timeZone, missed: 'catch-up', graceMs: 0,
    async run() {
      const now = clock.now();
      const row = await db.store.findUniqueOrThrow({ where: { id: store.id }, select: { leadSettings: true } });
      const settings = parseLeadSettings(row.leadSettings);
      const local = DateTime.fromJSDate(now, { zone: store.timeZone });
      const flagBefore = local.minus({ months: settings.reassignAfterMonths }).toJSDate();
      const poolBefore = local.minus({ months: settings.reassignAfterMonths + settings.poolAfterMonths }).toJSDate();
      const result = await db.$transaction(async (tx) => {
        const pooled = await poolOldLeads(tx, store.id, poolBefore, now);
        const flagged = await flagStaleLeads(tx, store.id, flagBefore, settings, now);
        if (pooled.length + flagged.length === 0) return { pooled: 0, flagged: 0 };
        const text = [
          ...(flagged.length > 0 ? [`【久未成交线索】以下 ${flagged.length} 位客户首次到店已超过 ${settings.reassignAfterMonths} 个月仍未成交，请考虑转交：`, ...listLines(flagged, (l) => l), '发送“久未成交”查看编号，然后：转交 <编号> <顾问姓名>'] : []),
          ...(pooled.length > 0 ? [`${flagged.length > 0 ? '\n' : ''}【转入营销池】以下 ${pooled.length} 位客户已超过 ${settings.reassignAfterMonths + settings.poolAfterMonths} 个月未成交，已转入营销池，不再列入每日跟进：`, ...listLines(pooled, line)] : []),
        ].join('\n');
        const today = localDate(now, store.timeZone);
        for (const manager of await storeManagers(tx, store.id)) {
          await messageStaff(tx, { storeId: store.id, staffId: manager.id, dedupeKey: `stale-leads:${manager.id}:${today}`, kind: 'stale_leads', text, now });
        }
        return { pooled: pooled.length, flagged: flagged.length };
      });
      logger.info({ storeId: store.id, ...result }, 'stale leads reviewed');
    },
  };
}
