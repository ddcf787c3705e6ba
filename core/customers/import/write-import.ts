import { randomUUID } from 'node:crypto';
import { PRIVACY_NOTICE_VERSION } from '../../consent/privacy-notice.ts';
import { Prisma } from '../../db/generated/client.ts';
import type { DatabaseTx } from '../../db/open-database.ts';
import { proposeNextFollowUp } from '../../leads/cadence.ts';
import type { LeadSettings } from '../../leads/lead-settings.ts';
import type { ImportRow } from './check-import-rows.ts';

/**
 * Rows written per round: keeps each statement's parameters (12 a lead) well under SQLite's
 * 32,766 and PostgreSQL's 65,535. Plain multi-row INSERTs, the same SQL on both: Prisma's
 * createMany costs about a millisecond a row here, too slow for 50,000 rows.
 */
const CHUNK = 500;

/** The phones among `phones` whose customer is already a lead of the store: a re-run finds them all. */
export async function phonesAlreadyLeads(tx: DatabaseTx, storeId: string, phones: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < phones.length; i += CHUNK) {
    const customers = await tx.customer.findMany({ where: { phone: { in: phones.slice(i, i + CHUNK) } }, select: { id: true, phone: true } });
    const leads = await tx.lead.findMany({ where: { storeId, customerId: { in: customers.map((c) => c.id) } }, select: { customerId: true } });
    const withLead = new Set(leads.map((l) => l.customerId));
    for (const c of customers) if (withLead.has(c.id)) found.add(c.phone);
  }
  return found;
}

/**
 * Writes checked rows in the caller's transaction, `CHUNK` at a time, calling `progress` after
 * each: a customer per new number (an existing customer is kept as they are, only an empty
 * salutation or birthday filled in), their lead at the store (owner, grade, source, model; first
 * contact = the last visit, else now; next follow-up by the grade's cadence from now), and the
 * consents the file records. A number already a lead of the store is left alone, so running the
 * same file again writes nothing. Returns how many leads were created and how many were there.
 */
export async function writeImportRows(tx: DatabaseTx, input: { storeId: string; rows: ImportRow[]; settings: LeadSettings; now: Date; progress: (done: number) => void }): Promise<{ created: number; alreadyThere: number }> {
  const { storeId, settings, now } = input;
  let created = 0;
  let alreadyThere = 0;
  for (let i = 0; i < input.rows.length; i += CHUNK) {
    const chunk = input.rows.slice(i, i + CHUNK);
    const phones = chunk.map((r) => r.phone);
    const customers = new Map((await tx.customer.findMany({ where: { phone: { in: phones } }, select: { id: true, phone: true, salutation: true, birthday: true } })).map((c) => [c.phone, c]));
    const withLead = new Set((await tx.lead.findMany({ where: { storeId, customerId: { in: [...customers.values()].map((c) => c.id) } }, select: { customerId: true } })).map((l) => l.customerId));
    const leadsHere = new Set([...customers.values()].filter((c) => withLead.has(c.id)).map((c) => c.phone));
    const fresh = chunk.filter((r) => !leadsHere.has(r.phone));
    alreadyThere += chunk.length - fresh.length;
    const newCustomers = fresh.filter((r) => !customers.has(r.phone)).map((r) => ({ id: randomUUID(), name: r.name, phone: r.phone, salutation: r.salutation, birthday: r.birthday, createdAt: now }));
    if (newCustomers.length) await tx.$executeRaw`INSERT INTO "Customer" ("id", "name", "phone", "salutation", "birthday", "createdAt", "updatedAt") VALUES ${Prisma.join(newCustomers.map((c) => Prisma.sql`(${c.id}, ${c.name}, ${c.phone}, ${c.salutation}, ${c.birthday}, ${now}, ${now})`))}`;
    for (const c of newCustomers) customers.set(c.phone, { id: c.id, phone: c.phone, salutation: c.salutation, birthday: c.birthday });
    const createdIds = new Set<string>(newCustomers.map((c) => c.id));
    for (const row of fresh) {
      const known = customers.get(row.phone);
      if (known && ((!known.salutation && row.salutation) || (!known.birthday && row.birthday)) && !createdIds.has(known.id)) {
        await tx.customer.update({ where: { id: known.id }, data: { salutation: known.salutation ?? row.salutation, birthday: known.birthday ?? row.birthday } });
      }
    }
    const idOf = (row: ImportRow) => (customers.get(row.phone) as { id: string }).id;
    if (fresh.length) {
      await tx.$executeRaw`INSERT INTO "Lead" ("id", "storeId", "customerId", "ownerStaffId", "grade", "gradedAt", "source", "modelOfInterest", "firstVisitAt", "nextFollowUpAt", "createdAt", "updatedAt") VALUES ${Prisma.join(fresh.map((r) =>
        Prisma.sql`(${randomUUID()}, ${storeId}, ${idOf(r)}, ${r.consultantId}, ${r.grade}, ${r.grade === 'N' ? null : now}, ${r.source}, ${r.model}, ${r.lastVisit ?? now}, ${proposeNextFollowUp(r.grade, now, settings)}, ${now}, ${now})`))}`;
    }
    const consents = fresh.flatMap((r) => r.consents.map((c) => Prisma.sql`(${randomUUID()}, ${idOf(r)}, ${c.purpose}, ${c.granted}, ${c.source}, ${PRIVACY_NOTICE_VERSION}, ${c.at})`));
    if (consents.length) await tx.$executeRaw`INSERT INTO "ConsentRecord" ("id", "customerId", "purpose", "granted", "source", "noticeVersion", "recordedAt") VALUES ${Prisma.join(consents)}`;
    created += fresh.length;
    input.progress(Math.min(i + CHUNK, input.rows.length));
  }
  return { created, alreadyThere };
}
