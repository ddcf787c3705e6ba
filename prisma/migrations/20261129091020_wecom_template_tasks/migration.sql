-- CreateTable
CREATE TABLE "WecomTemplateTask" (
    "staffTaskId" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "msgid" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "waitingSince" DATETIME,
    "confirmedAt" DATETIME,
    "checkedAt" DATETIME,
    "chasedAt" DATETIME,
    "reportedAt" DATETIME,
    "error" TEXT,
    CONSTRAINT "WecomTemplateTask_staffTaskId_fkey" FOREIGN KEY ("staffTaskId") REFERENCES "StaffTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WecomTemplateTask_msgid_key" ON "WecomTemplateTask"("msgid");

-- CreateIndex
CREATE INDEX "WecomTemplateTask_state_idx" ON "WecomTemplateTask"("state");

-- CreateIndex
CREATE INDEX "WecomTemplateTask_storeId_createdAt_idx" ON "WecomTemplateTask"("storeId", "createdAt");
