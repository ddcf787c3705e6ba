-- Codes of the earlier scheme (a salted hash) cannot be checked by the derived one, and live 5 minutes:
-- dropped, so the new required column needs no value for them. (Added by hand to the generated script.)
DELETE FROM "PhoneCode";

-- AlterTable
ALTER TABLE "PhoneCode" DROP COLUMN "codeHash",
DROP COLUMN "salt",
ADD COLUMN     "requester" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "PhoneCode_requester_createdAt_idx" ON "PhoneCode"("requester", "createdAt");
