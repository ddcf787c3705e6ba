-- CreateTable
CREATE TABLE "WecomContactWay" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "qrSourceCode" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "qrCode" TEXT NOT NULL,
    "userIds" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WecomWelcome" (
    "welcomeCode" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "claimedAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "WecomContactWay_qrSourceCode_key" ON "WecomContactWay"("qrSourceCode");

-- CreateIndex
CREATE UNIQUE INDEX "WecomContactWay_state_key" ON "WecomContactWay"("state");
