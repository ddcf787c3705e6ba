-- AlterTable
ALTER TABLE "Store" ADD COLUMN "giftsPausedUntil" DATETIME;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "chatKey" TEXT;

-- CreateTable
CREATE TABLE "PendingRegistration" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "qrSourceId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "request" TEXT NOT NULL DEFAULT '{}',
    "phone" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT,
    "surface" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "registrationId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedByStaffId" TEXT,
    CONSTRAINT "PendingRegistration_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PendingRegistration_storeId_resolvedAt_idx" ON "PendingRegistration"("storeId", "resolvedAt");

-- CreateIndex
CREATE INDEX "PendingRegistration_storeId_createdAt_idx" ON "PendingRegistration"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "PendingRegistration_qrSourceId_createdAt_idx" ON "PendingRegistration"("qrSourceId", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_chatKey_createdAt_idx" ON "Ticket"("chatKey", "createdAt");

-- CreateIndex
CREATE INDEX "Visit_qrSourceId_visitedAt_idx" ON "Visit"("qrSourceId", "visitedAt");

-- CreateIndex
CREATE INDEX "Voucher_campaignId_issuedAt_idx" ON "Voucher"("campaignId", "issuedAt");
