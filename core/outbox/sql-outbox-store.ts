import { consentsInForce } from '../consent/consent-status.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { raiseAlert } from './alerts.ts';
import { claimDueIntents, nextClaimableAt } from './claim-intents.ts';
import { handOverToConsultant } from './hand-over.ts';
import { finish, markRetry, markSendingMany, markSentMany, pace, release, snooze } from './intent-transitions.ts';
import { marketingDeferrals } from './marketing-cap.ts';
import type { ClaimedRow, OutboxStore, OutboxTransaction } from './outbox-store.ts';
import { careStoppedCustomers, customerReach, markChatBlocked, staffReach } from './reach.ts';
import { noSmsFacts, smsFacts } from './sms-facts.ts';

/** The outbox on the application's database (SQLite or PostgreSQL, through Prisma). */
export function sqlOutboxStore(db: Database): OutboxStore {
  return {
    async claim(owner, now, leaseMs, limit) {
      const ids = await claimDueIntents(db, owner, now, leaseMs, limit);
      if (ids.length === 0) return [];
      return db.messageIntent.findMany({ where: { id: { in: ids }, leaseOwner: owner }, include: { store: true }, orderBy: [{ sendAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] });
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
        consentsInForce(db, customerIds), marketingDeferrals(db, rows, now), channels.includes('SMS') ? smsFacts(db, rows, now) : noSmsFacts(),
      ]);
      return { reachable, staffReachable, careStopped, consents, deferred, sms };
    },
    transaction: (work) => db.$transaction((tx) => work(sqlTransaction(tx))),
  };
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
