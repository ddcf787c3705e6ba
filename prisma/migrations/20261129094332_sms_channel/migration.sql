-- AlterTable
ALTER TABLE "MessageIntent" ADD COLUMN "deliveryAt" DATETIME;
ALTER TABLE "MessageIntent" ADD COLUMN "deliveryCode" TEXT;
ALTER TABLE "MessageIntent" ADD COLUMN "deliveryStatus" TEXT;
ALTER TABLE "MessageIntent" ADD COLUMN "variables" TEXT;

-- AlterTable
ALTER TABLE "StaffTask" ADD COLUMN "reason" TEXT;

-- AlterTable
ALTER TABLE "Survey" ADD COLUMN "linkCode" TEXT;

-- CreateTable
CREATE TABLE "SmsTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "templateCode" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SmsTemplate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SmsBudget" (
    "storeId" TEXT NOT NULL PRIMARY KEY,
    "monthlyLimit" INTEGER NOT NULL,
    "dailyStoreLimit" INTEGER NOT NULL,
    "dailyCustomerLimit" INTEGER NOT NULL,
    "priceFen" INTEGER NOT NULL,
    CONSTRAINT "SmsBudget_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SmsTemplate_storeId_kind_key" ON "SmsTemplate"("storeId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_linkCode_key" ON "Survey"("linkCode");
