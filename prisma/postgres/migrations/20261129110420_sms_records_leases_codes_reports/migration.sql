-- AlterEnum
ALTER TYPE "Channel" ADD VALUE 'SMS';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "address" TEXT,
ADD COLUMN     "contactTime" TEXT,
ADD COLUMN     "contactWay" TEXT,
ADD COLUMN     "driverName" TEXT,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "plate" TEXT,
ADD COLUMN     "salutation" TEXT,
ADD COLUMN     "vehicleModel" TEXT,
ADD COLUMN     "vin" TEXT;

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "modelOfInterest" TEXT;

-- AlterTable
ALTER TABLE "MessageIntent" ADD COLUMN     "deliveryAt" TIMESTAMP(3),
ADD COLUMN     "deliveryCode" TEXT,
ADD COLUMN     "deliveryStatus" TEXT,
ADD COLUMN     "variables" TEXT;

-- AlterTable
ALTER TABLE "StaffSession" ADD COLUMN     "storeId" TEXT;

-- AlterTable
ALTER TABLE "StaffTask" ADD COLUMN     "reason" TEXT;

-- AlterTable
ALTER TABLE "Survey" ADD COLUMN     "linkCode" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "category" TEXT;

-- CreateTable
CREATE TABLE "Lease" (
    "name" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "PhoneCode" (
    "id" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "PhoneCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsTemplate" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "templateCode" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SmsTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsBudget" (
    "storeId" TEXT NOT NULL,
    "monthlyLimit" INTEGER NOT NULL,
    "dailyStoreLimit" INTEGER NOT NULL,
    "dailyCustomerLimit" INTEGER NOT NULL,
    "priceFen" INTEGER NOT NULL,

    CONSTRAINT "SmsBudget_pkey" PRIMARY KEY ("storeId")
);

-- CreateTable
CREATE TABLE "WalkInParty" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "WalkInParty_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PhoneCode_phone_createdAt_idx" ON "PhoneCode"("phone", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SmsTemplate_storeId_kind_key" ON "SmsTemplate"("storeId", "kind");

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
CREATE UNIQUE INDEX "Survey_linkCode_key" ON "Survey"("linkCode");

-- CreateIndex
CREATE INDEX "Survey_storeId_sentAt_consultantId_state_score_idx" ON "Survey"("storeId", "sentAt", "consultantId", "state", "score");

-- CreateIndex
CREATE INDEX "Survey_storeId_sendAt_idx" ON "Survey"("storeId", "sendAt");

-- CreateIndex
CREATE INDEX "Ticket_storeId_createdAt_idx" ON "Ticket"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "Voucher_campaignId_redeemedAt_idx" ON "Voucher"("campaignId", "redeemedAt");

-- AddForeignKey
ALTER TABLE "SmsTemplate" ADD CONSTRAINT "SmsTemplate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmsBudget" ADD CONSTRAINT "SmsBudget_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WalkInParty" ADD CONSTRAINT "WalkInParty_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WalkInParty" ADD CONSTRAINT "WalkInParty_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
