-- DropIndex
DROP INDEX "MessageIntent_state_sendAt_idx";

-- AlterTable
ALTER TABLE "MessageIntent" ADD COLUMN "nextAttemptAt" DATETIME;
ALTER TABLE "MessageIntent" ADD COLUMN "sentAt" DATETIME;

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "intentId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "Alert_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Alert_intentId_fkey" FOREIGN KEY ("intentId") REFERENCES "MessageIntent" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CronFire" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "lastSlot" DATETIME NOT NULL,
    "firedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WebChatMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" TEXT NOT NULL,
    "intentId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Store" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "hotline" TEXT NOT NULL DEFAULT '',
    "customerHoursStart" TEXT NOT NULL DEFAULT '08:00',
    "customerHoursEnd" TEXT NOT NULL DEFAULT '21:00',
    "staffHoursStart" TEXT NOT NULL DEFAULT '08:30',
    "staffHoursEnd" TEXT NOT NULL DEFAULT '18:30',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Store_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DealerGroup" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Store" ("address", "createdAt", "groupId", "hotline", "id", "name", "timeZone") SELECT "address", "createdAt", "groupId", "hotline", "id", "name", "timeZone" FROM "Store";
DROP TABLE "Store";
ALTER TABLE "new_Store" RENAME TO "Store";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Alert_storeId_resolvedAt_idx" ON "Alert"("storeId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebChatMessage_intentId_key" ON "WebChatMessage"("intentId");

-- CreateIndex
CREATE INDEX "WebChatMessage_chatId_id_idx" ON "WebChatMessage"("chatId", "id");

-- CreateIndex
CREATE INDEX "MessageIntent_nextAttemptAt_idx" ON "MessageIntent"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "MessageIntent_state_idx" ON "MessageIntent"("state");

-- CreateIndex
CREATE INDEX "MessageIntent_customerId_idx" ON "MessageIntent"("customerId");

-- Intents queued before this migration become claimable at their due time.
UPDATE "MessageIntent" SET "nextAttemptAt" = "sendAt" WHERE "state" IN ('PENDING', 'FAILED_RETRYING');
