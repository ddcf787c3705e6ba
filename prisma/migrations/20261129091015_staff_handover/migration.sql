-- CreateTable
CREATE TABLE "StaffHandover" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "fromStaffId" TEXT NOT NULL,
    "toStaffId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "openKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "StaffHandover_fromStaffId_fkey" FOREIGN KEY ("fromStaffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StaffHandover_toStaffId_fkey" FOREIGN KEY ("toStaffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StaffHandover_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WecomHandover" (
    "handoverId" TEXT NOT NULL PRIMARY KEY,
    "handoverUserId" TEXT NOT NULL,
    "takeoverUserId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "listedAt" DATETIME,
    CONSTRAINT "WecomHandover_handoverId_fkey" FOREIGN KEY ("handoverId") REFERENCES "StaffHandover" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WecomCustomerTransfer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "handoverId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "takeoverUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "outcome" TEXT,
    "startedAt" DATETIME,
    "checkAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "WecomCustomerTransfer_handoverId_fkey" FOREIGN KEY ("handoverId") REFERENCES "StaffHandover" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffHandover_openKey_key" ON "StaffHandover"("openKey");

-- CreateIndex
CREATE INDEX "WecomCustomerTransfer_state_checkAt_idx" ON "WecomCustomerTransfer"("state", "checkAt");

-- CreateIndex
CREATE INDEX "WecomCustomerTransfer_takeoverUserId_externalUserId_idx" ON "WecomCustomerTransfer"("takeoverUserId", "externalUserId");

-- CreateIndex
CREATE UNIQUE INDEX "WecomCustomerTransfer_handoverId_externalUserId_key" ON "WecomCustomerTransfer"("handoverId", "externalUserId");
