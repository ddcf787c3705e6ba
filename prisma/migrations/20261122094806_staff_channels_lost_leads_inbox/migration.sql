-- AlterTable
ALTER TABLE "ChannelIdentity" ADD COLUMN "blockedAt" DATETIME;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "careStoppedAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "careStoppedReason" TEXT;

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "lostLevel" INTEGER;
ALTER TABLE "Lead" ADD COLUMN "lostReason" TEXT;
ALTER TABLE "Lead" ADD COLUMN "pooledAt" DATETIME;
ALTER TABLE "Lead" ADD COLUMN "staleFlaggedAt" DATETIME;

-- CreateTable
CREATE TABLE "LostRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "leadId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "competitorModel" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decisionNote" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "LostRequest_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LostRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LostRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffChannelLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "linkedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "blockedAt" DATETIME,
    CONSTRAINT "StaffChannelLink_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedBy" TEXT,
    CONSTRAINT "StaffInvitation_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StaffInvitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InboundUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "handledAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "consultantId" TEXT,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "score" INTEGER,
    "scoredAt" DATETIME,
    "factor" TEXT,
    "comment" TEXT,
    "unclearCount" INTEGER NOT NULL DEFAULT 0,
    "sendAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Survey_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Survey_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Survey_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Survey" ("comment", "completedAt", "consultantId", "createdAt", "customerId", "expiresAt", "factor", "id", "kind", "locale", "score", "scoredAt", "sendAt", "sentAt", "state", "storeId", "subjectId", "unclearCount") SELECT "comment", "completedAt", "consultantId", "createdAt", "customerId", "expiresAt", "factor", "id", "kind", "locale", "score", "scoredAt", "sendAt", "sentAt", "state", "storeId", "subjectId", "unclearCount" FROM "Survey";
DROP TABLE "Survey";
ALTER TABLE "new_Survey" RENAME TO "Survey";
CREATE INDEX "Survey_customerId_state_idx" ON "Survey"("customerId", "state");
CREATE UNIQUE INDEX "Survey_kind_subjectId_key" ON "Survey"("kind", "subjectId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LostRequest_leadId_status_idx" ON "LostRequest"("leadId", "status");

-- CreateIndex
CREATE INDEX "StaffChannelLink_staffId_idx" ON "StaffChannelLink"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffChannelLink_channel_externalId_key" ON "StaffChannelLink"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffInvitation_tokenHash_key" ON "StaffInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "InboundUpdate_handledAt_chatId_id_idx" ON "InboundUpdate"("handledAt", "chatId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboundUpdate_channel_updateId_key" ON "InboundUpdate"("channel", "updateId");
