-- CreateIndex: the console's documents page reads the latest changed documents (ORDER BY "updatedAt" DESC LIMIT 20) instead of sorting every document.
CREATE INDEX "Document_updatedAt_idx" ON "Document"("updatedAt");
