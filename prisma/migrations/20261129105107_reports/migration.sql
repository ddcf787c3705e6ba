-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "category" TEXT;

-- CreateTable
CREATE TABLE "WalkInParty" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "withdrawnAt" DATETIME,
    CONSTRAINT "WalkInParty_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "WalkInParty_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WalkInParty_requestKey_key" ON "WalkInParty"("requestKey");

-- CreateIndex
CREATE INDEX "WalkInParty_storeId_at_withdrawnAt_idx" ON "WalkInParty"("storeId", "at", "withdrawnAt");

-- CreateIndex
CREATE INDEX "FollowUp_at_staffId_idx" ON "FollowUp"("at", "staffId");

-- CreateIndex
CREATE INDEX "Lead_storeId_firstVisitAt_idx" ON "Lead"("storeId", "firstVisitAt");

-- CreateIndex
CREATE INDEX "Lead_storeId_pool_nextFollowUpAt_idx" ON "Lead"("storeId", "pool", "nextFollowUpAt");

-- CreateIndex
CREATE INDEX "Lead_storeId_staleFlaggedAt_idx" ON "Lead"("storeId", "staleFlaggedAt");

-- CreateIndex
CREATE INDEX "Lead_storeId_pooledAt_idx" ON "Lead"("storeId", "pooledAt");

-- CreateIndex
CREATE INDEX "LostRequest_status_decidedAt_idx" ON "LostRequest"("status", "decidedAt");

-- CreateIndex
CREATE INDEX "MessageIntent_storeId_createdAt_state_idx" ON "MessageIntent"("storeId", "createdAt", "state");

-- CreateIndex
CREATE INDEX "MessageIntent_storeId_kind_sentAt_idx" ON "MessageIntent"("storeId", "kind", "sentAt");

-- CreateIndex
CREATE INDEX "Order_storeId_orderedAt_idx" ON "Order"("storeId", "orderedAt");

-- CreateIndex
CREATE INDEX "Order_storeId_deliveredAt_idx" ON "Order"("storeId", "deliveredAt");

-- CreateIndex
CREATE INDEX "Survey_storeId_sentAt_consultantId_state_score_idx" ON "Survey"("storeId", "sentAt", "consultantId", "state", "score");

-- CreateIndex
CREATE INDEX "Survey_storeId_sendAt_idx" ON "Survey"("storeId", "sendAt");

-- CreateIndex
CREATE INDEX "Ticket_storeId_createdAt_idx" ON "Ticket"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "Voucher_campaignId_redeemedAt_idx" ON "Voucher"("campaignId", "redeemedAt");
