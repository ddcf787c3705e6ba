-- AlterTable
ALTER TABLE "ChannelIdentity" ADD COLUMN "proof" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "erasedAt" DATETIME;

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "recordedByStaffId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "completedByStaffId" TEXT,
    CONSTRAINT "DataRequest_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DataRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DataRequest_storeId_completedAt_idx" ON "DataRequest"("storeId", "completedAt");

-- CreateIndex
CREATE INDEX "DataRequest_customerId_idx" ON "DataRequest"("customerId");
