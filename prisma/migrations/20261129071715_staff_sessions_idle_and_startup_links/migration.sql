-- AlterTable
ALTER TABLE "StaffSession" ADD COLUMN "lastSeenAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AdminLoginLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'staff',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "AdminLoginLink_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_AdminLoginLink" ("createdAt", "expiresAt", "id", "staffId", "tokenHash", "usedAt") SELECT "createdAt", "expiresAt", "id", "staffId", "tokenHash", "usedAt" FROM "AdminLoginLink";
DROP TABLE "AdminLoginLink";
ALTER TABLE "new_AdminLoginLink" RENAME TO "AdminLoginLink";
CREATE UNIQUE INDEX "AdminLoginLink_tokenHash_key" ON "AdminLoginLink"("tokenHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
