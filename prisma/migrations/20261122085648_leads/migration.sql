-- CreateTable
CREATE TABLE "Lead" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ownerStaffId" TEXT,
    "grade" TEXT NOT NULL DEFAULT 'N',
    "gradedAt" DATETIME,
    "source" TEXT NOT NULL,
    "firstVisitAt" DATETIME NOT NULL,
    "nextFollowUpAt" DATETIME,
    "pool" TEXT NOT NULL DEFAULT 'ACTIVE',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Lead_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Lead_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Lead_ownerStaffId_fkey" FOREIGN KEY ("ownerStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "leadId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "way" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "gradeBefore" TEXT NOT NULL,
    "gradeAfter" TEXT NOT NULL,
    "nextFollowUpAt" DATETIME,
    "at" DATETIME NOT NULL,
    CONSTRAINT "FollowUp_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FollowUp_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Staff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "onDuty" BOOLEAN NOT NULL DEFAULT true,
    "senior" BOOLEAN NOT NULL DEFAULT false,
    "lastAssignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Staff_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Staff" ("active", "createdAt", "id", "name", "role", "storeId") SELECT "active", "createdAt", "id", "name", "role", "storeId" FROM "Staff";
DROP TABLE "Staff";
ALTER TABLE "new_Staff" RENAME TO "Staff";
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
    "leadSettings" TEXT NOT NULL DEFAULT '{}',
    "journeySettings" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Store_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DealerGroup" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Store" ("address", "createdAt", "customerHoursEnd", "customerHoursStart", "groupId", "hotline", "id", "journeySettings", "name", "staffHoursEnd", "staffHoursStart", "timeZone") SELECT "address", "createdAt", "customerHoursEnd", "customerHoursStart", "groupId", "hotline", "id", "journeySettings", "name", "staffHoursEnd", "staffHoursStart", "timeZone" FROM "Store";
DROP TABLE "Store";
ALTER TABLE "new_Store" RENAME TO "Store";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Lead_ownerStaffId_nextFollowUpAt_idx" ON "Lead"("ownerStaffId", "nextFollowUpAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_storeId_customerId_key" ON "Lead"("storeId", "customerId");

-- CreateIndex
CREATE INDEX "FollowUp_staffId_at_idx" ON "FollowUp"("staffId", "at");
