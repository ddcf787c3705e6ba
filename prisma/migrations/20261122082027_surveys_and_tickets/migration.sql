-- CreateTable
CREATE TABLE "Survey" (
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
    "remindedAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Survey_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Survey_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Survey_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "customerId" TEXT,
    "consultantId" TEXT,
    "surveyId" TEXT,
    "score" INTEGER,
    "factor" TEXT,
    "description" TEXT NOT NULL,
    "ownerStaffId" TEXT,
    "takenAt" DATETIME,
    "dueAt" DATETIME NOT NULL,
    "escalatedAt" DATETIME,
    "rootCause" TEXT,
    "actionTaken" TEXT,
    "outcome" TEXT,
    "finalSatisfaction" INTEGER,
    "closedAt" DATETIME,
    "closedByStaffId" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Ticket_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_ownerStaffId_fkey" FOREIGN KEY ("ownerStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_closedByStaffId_fkey" FOREIGN KEY ("closedByStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Survey_customerId_state_idx" ON "Survey"("customerId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_kind_subjectId_key" ON "Survey"("kind", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_reference_key" ON "Ticket"("reference");

-- CreateIndex
CREATE INDEX "Ticket_storeId_status_idx" ON "Ticket"("storeId", "status");
