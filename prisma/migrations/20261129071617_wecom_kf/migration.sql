-- CreateTable
CREATE TABLE "WecomKfCursor" (
    "openKfId" TEXT NOT NULL PRIMARY KEY,
    "cursor" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WecomKfEntryLink" (
    "sourceCode" TEXT NOT NULL PRIMARY KEY,
    "scene" TEXT NOT NULL,
    "openKfId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WecomKfChat" (
    "chatId" TEXT NOT NULL PRIMARY KEY,
    "openKfId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "lastCustomerAt" DATETIME,
    "lastCustomerMsgid" TEXT,
    "sentSince" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "WecomKfWelcome" (
    "welcomeCode" TEXT NOT NULL PRIMARY KEY,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "eventAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "sentAt" DATETIME,
    "error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "WecomKfEntryLink_scene_key" ON "WecomKfEntryLink"("scene");
