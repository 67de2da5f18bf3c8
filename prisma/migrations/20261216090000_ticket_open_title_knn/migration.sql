-- CreateIndex: open tickets' titles in a trigram GiST index, so the duplicate search asks for
-- the nearest open title (ORDER BY title <-> $1 LIMIT 1) and reads a few index entries, however
-- many open tickets have alike titles; the GIN index could only filter, and every ticket that
-- passed the filter had to be scored and sorted.
CREATE INDEX "Ticket_open_title_trgm_gist_idx" ON "Ticket" USING GIST ("title" gist_trgm_ops) WHERE status NOT IN ('resolved', 'closed');
