-- AlterTable: pages without text that OCR left out of a version (past documents.ocr.maxPages),
-- shown on the document card.
ALTER TABLE "DocumentVersion" ADD COLUMN     "ocrSkippedPages" INTEGER NOT NULL DEFAULT 0;
