-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CronFire" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "lastSlot" DATETIME NOT NULL,
    "firedAt" DATETIME NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "leaseUntil" DATETIME
);
INSERT INTO "new_CronFire" ("firedAt", "job", "lastSlot") SELECT "firedAt", "job", "lastSlot" FROM "CronFire";
DROP TABLE "CronFire";
ALTER TABLE "new_CronFire" RENAME TO "CronFire";
CREATE TABLE "new_MessageIntent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dedupeKey" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT,
    "staffId" TEXT,
    "channel" TEXT,
    "address" TEXT,
    "purpose" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "sendAt" DATETIME NOT NULL,
    "enqueueSeq" BIGINT NOT NULL DEFAULT 0,
    "lane" TEXT,
    "paceWaits" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "providerMessageId" TEXT,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MessageIntent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MessageIntent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_MessageIntent" ("address", "attempts", "channel", "createdAt", "customerId", "dedupeKey", "expiresAt", "id", "kind", "lastError", "leaseExpiresAt", "leaseOwner", "nextAttemptAt", "payload", "priority", "providerMessageId", "purpose", "sendAt", "sentAt", "staffId", "state", "storeId", "updatedAt") SELECT "address", "attempts", "channel", "createdAt", "customerId", "dedupeKey", "expiresAt", "id", "kind", "lastError", "leaseExpiresAt", "leaseOwner", "nextAttemptAt", "payload", "priority", "providerMessageId", "purpose", "sendAt", "sentAt", "staffId", "state", "storeId", "updatedAt" FROM "MessageIntent";
DROP TABLE "MessageIntent";
ALTER TABLE "new_MessageIntent" RENAME TO "MessageIntent";
CREATE UNIQUE INDEX "MessageIntent_dedupeKey_key" ON "MessageIntent"("dedupeKey");
CREATE INDEX "MessageIntent_nextAttemptAt_createdAt_id_idx" ON "MessageIntent"("nextAttemptAt", "createdAt", "id");
CREATE INDEX "MessageIntent_lane_sendAt_enqueueSeq_idx" ON "MessageIntent"("lane", "sendAt", "enqueueSeq");
CREATE INDEX "MessageIntent_state_idx" ON "MessageIntent"("state");
CREATE INDEX "MessageIntent_customerId_idx" ON "MessageIntent"("customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
