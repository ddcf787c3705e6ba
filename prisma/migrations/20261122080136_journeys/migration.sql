-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "consultantId" TEXT,
    "model" TEXT NOT NULL,
    "orderedAt" DATETIME NOT NULL,
    "deliveryAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ORDERED',
    "deliveredAt" DATETIME,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MessageTemplate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "actorStaffId" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "AuditEntry_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AuditEntry_actorStaffId_fkey" FOREIGN KEY ("actorStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT,
    "customerId" TEXT,
    "intentId" TEXT,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "doneAt" DATETIME,
    CONSTRAINT "StaffTask_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StaffTask_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "StaffTask_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "birthday" TEXT,
    "birthdayCalendar" TEXT NOT NULL DEFAULT 'GREGORIAN',
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Customer" ("birthday", "createdAt", "id", "locale", "name", "phone", "updatedAt") SELECT "birthday", "createdAt", "id", "locale", "name", "phone", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE UNIQUE INDEX "Customer_phone_key" ON "Customer"("phone");
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
INSERT INTO "new_MessageIntent" ("address", "attempts", "channel", "createdAt", "customerId", "dedupeKey", "expiresAt", "id", "kind", "lastError", "leaseExpiresAt", "leaseOwner", "nextAttemptAt", "payload", "providerMessageId", "purpose", "sendAt", "sentAt", "staffId", "state", "storeId", "updatedAt") SELECT "address", "attempts", "channel", "createdAt", "customerId", "dedupeKey", "expiresAt", "id", "kind", "lastError", "leaseExpiresAt", "leaseOwner", "nextAttemptAt", "payload", "providerMessageId", "purpose", "sendAt", "sentAt", "staffId", "state", "storeId", "updatedAt" FROM "MessageIntent";
DROP TABLE "MessageIntent";
ALTER TABLE "new_MessageIntent" RENAME TO "MessageIntent";
CREATE UNIQUE INDEX "MessageIntent_dedupeKey_key" ON "MessageIntent"("dedupeKey");
CREATE INDEX "MessageIntent_nextAttemptAt_idx" ON "MessageIntent"("nextAttemptAt");
CREATE INDEX "MessageIntent_state_idx" ON "MessageIntent"("state");
CREATE INDEX "MessageIntent_customerId_idx" ON "MessageIntent"("customerId");
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
    "journeySettings" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Store_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DealerGroup" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Store" ("address", "createdAt", "customerHoursEnd", "customerHoursStart", "groupId", "hotline", "id", "name", "staffHoursEnd", "staffHoursStart", "timeZone") SELECT "address", "createdAt", "customerHoursEnd", "customerHoursStart", "groupId", "hotline", "id", "name", "staffHoursEnd", "staffHoursStart", "timeZone" FROM "Store";
DROP TABLE "Store";
ALTER TABLE "new_Store" RENAME TO "Store";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageTemplate_storeId_kind_locale_key" ON "MessageTemplate"("storeId", "kind", "locale");

-- CreateIndex
CREATE INDEX "AuditEntry_entity_entityId_idx" ON "AuditEntry"("entity", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffTask_intentId_key" ON "StaffTask"("intentId");

-- CreateIndex
CREATE INDEX "StaffTask_storeId_doneAt_idx" ON "StaffTask"("storeId", "doneAt");
