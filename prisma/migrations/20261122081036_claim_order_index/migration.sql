-- DropIndex
DROP INDEX "MessageIntent_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "MessageIntent_nextAttemptAt_createdAt_id_idx" ON "MessageIntent"("nextAttemptAt", "createdAt", "id");
