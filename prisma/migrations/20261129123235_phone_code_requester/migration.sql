-- Codes of the earlier scheme (a salted hash) cannot be checked by the derived one, and live 5 minutes:
-- dropped, so the new required column needs no value for them. (Added by hand to the generated script.)
DELETE FROM "PhoneCode";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PhoneCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "phone" TEXT NOT NULL,
    "requester" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "usedAt" DATETIME
);
INSERT INTO "new_PhoneCode" ("createdAt", "expiresAt", "id", "phone", "tries", "usedAt") SELECT "createdAt", "expiresAt", "id", "phone", "tries", "usedAt" FROM "PhoneCode";
DROP TABLE "PhoneCode";
ALTER TABLE "new_PhoneCode" RENAME TO "PhoneCode";
CREATE INDEX "PhoneCode_phone_createdAt_idx" ON "PhoneCode"("phone", "createdAt");
CREATE INDEX "PhoneCode_requester_createdAt_idx" ON "PhoneCode"("requester", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
