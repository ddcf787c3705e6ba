import { consentsInForce } from '../consent/consent-status.ts';
import { Prisma, type Store } from '../db/generated/client.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { queryRows } from '../db/raw-sql.ts';
import { raiseAlert } from './alerts.ts';
import { claimDueIntents, nextClaimableAt } from './claim-intents.ts';
import { handOverToConsultant } from './hand-over.ts';
import { storeFrom } from './intent-rows.ts';
import { finish, markRetry, markSendingMany, markSentMany, pace, release, snooze } from './intent-transitions.ts';
import { marketingDeferrals } from './marketing-cap.ts';
import type { ClaimedRow, OutboxStore, OutboxTransaction } from './outbox-store.ts';
import { careStoppedCustomers, customerReach, markChatBlocked, staffReach } from './reach.ts';
import { noSmsFacts, smsFacts } from './sms-facts.ts';

/** The outbox on the application's database (SQLite or PostgreSQL, through Prisma). */
export function sqlOutboxStore(db: Database): OutboxStore {
  return {
    async claim(owner, now, leaseMs, limit) {
      const intents = await claimDueIntents(db, owner, now, leaseMs, limit);
      if (intents.length === 0) return [];
      const stores = await storesById(db, [...new Set(intents.map((i) => i.storeId))]);
      return intents.map((intent) => ({ ...intent, store: stores.get(intent.storeId) as Store })).sort(byDueTime);
    },
    async unclaim(ids, owner, now) {
      await db.messageIntent.updateMany({ where: { id: { in: ids }, leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now } });
    },
    nextClaimableAt: () => nextClaimableAt(db),
    async recipientFacts(rows, channels, now) {
      const customerIds = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
      const staffIds = [...new Set(rows.flatMap((r) => (r.staffId ? [r.staffId] : [])))];
      const [reachable, staffReachable, careStopped, consents, deferred, sms] = await Promise.all([
        customerReach(db, customerIds, channels), staffReach(db, staffIds, channels), careStoppedCustomers(db, customerIds),
        customerIds.length > 0 ? consentsInForce(db, customerIds) : new Map<string, boolean>(), marketingDeferrals(db, rows, now), channels.includes('SMS') ? smsFacts(db, rows, now) : noSmsFacts(),
      ]);
      return { reachable, staffReachable, careStopped, consents, deferred, sms };
    },
    transaction: (work) => db.$transaction((tx) => work(sqlTransaction(tx))),
  };
}

/** The stores of a batch's intents (one, usually), read with the batch: an admin's change of hours applies from the next batch on. */
async function storesById(db: Database, ids: string[]): Promise<Map<string, Store>> {
  const rows = await queryRows(db, Prisma.sql`SELECT * FROM "Store" WHERE "id" IN (${Prisma.join(ids)})`);
  return new Map(rows.map((row) => [String(row.id), storeFrom(row)]));
}

/** The order a batch is planned in: by due time, then creation (the id settles ties). */
function byDueTime(a: ClaimedRow, b: ClaimedRow): number {
  return a.sendAt.getTime() - b.sendAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function sqlTransaction(tx: DatabaseTx): OutboxTransaction {
  return {
    snooze: (guard, until, reason) => snooze(tx, guard, until, reason),
    pace: (guard, wait) => pace(tx, guard, wait),
    release: (guard, lane, now) => release(tx, guard, lane, now),
    finish: (guard, state, reason) => finish(tx, guard, state, reason),
    markSendingMany: (owner, now, leaseMs, items) => markSendingMany(tx, owner, now, leaseMs, items),
    markSentMany: (owner, now, items) => markSentMany(tx, owner, now, items),
    markRetry: (guard, at, error) => markRetry(tx, guard, at, error),
    handOver: (row: ClaimedRow, now, reason) => handOverToConsultant(tx, row, now, reason),
    markChatBlocked: (channel, address, now) => markChatBlocked(tx, channel, address, now),
    raiseAlert: (alert) => raiseAlert(tx, alert),
  };
}
