-- CreateIndex
CREATE INDEX "Ticket_title_trgm_idx" ON "Ticket" USING GIN ("title" gin_trgm_ops);
