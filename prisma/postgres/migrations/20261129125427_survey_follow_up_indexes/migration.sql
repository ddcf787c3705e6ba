-- CreateIndex
CREATE INDEX "Survey_storeId_state_expiresAt_idx" ON "Survey"("storeId", "state", "expiresAt");

-- CreateIndex
CREATE INDEX "Survey_storeId_score_scoredAt_idx" ON "Survey"("storeId", "score", "scoredAt");

-- CreateIndex
CREATE INDEX "Ticket_surveyId_idx" ON "Ticket"("surveyId");
