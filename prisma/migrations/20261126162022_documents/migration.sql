-- CreateTable
CREATE TABLE "Document" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "titleKey" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentVersion" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "locations" JSONB NOT NULL DEFAULT '[]',
    "ocr" BOOLEAN NOT NULL DEFAULT false,
    "noTextLayer" BOOLEAN NOT NULL DEFAULT false,
    "stage" TEXT NOT NULL DEFAULT 'language',
    "language" TEXT,
    "category" TEXT,
    "confidence" DOUBLE PRECISION,
    "categorySource" TEXT,
    "summary" TEXT,
    "expiresOn" DATE,
    "reminderSentAt" TIMESTAMP(3),
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL DEFAULT '',
    "uploadedById" UUID,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "searchEn" tsvector,
    "searchRu" tsvector,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "DocumentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentField" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "DocumentField_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentCorrection" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "fromCategory" TEXT,
    "toCategory" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "userId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentIntake" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL DEFAULT '',
    "userId" UUID,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "file" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "error" TEXT,
    "versionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DocumentIntake_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Document_number_key" ON "Document"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Document_titleKey_key" ON "Document"("titleKey");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentVersion_sha256_key" ON "DocumentVersion"("sha256");

-- CreateIndex
CREATE INDEX "DocumentVersion_stage_idx" ON "DocumentVersion"("stage");

-- CreateIndex
CREATE INDEX "DocumentVersion_expiresOn_idx" ON "DocumentVersion"("expiresOn");

-- CreateIndex
CREATE INDEX "DocumentVersion_searchEn_idx" ON "DocumentVersion" USING GIN ("searchEn");

-- CreateIndex
CREATE INDEX "DocumentVersion_searchRu_idx" ON "DocumentVersion" USING GIN ("searchRu");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentVersion_documentId_version_key" ON "DocumentVersion"("documentId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentField_versionId_name_start_key" ON "DocumentField"("versionId", "name", "start");

-- CreateIndex
CREATE INDEX "DocumentCorrection_createdAt_idx" ON "DocumentCorrection"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentIntake_dedupeKey_key" ON "DocumentIntake"("dedupeKey");

-- AddForeignKey
ALTER TABLE "DocumentVersion" ADD CONSTRAINT "DocumentVersion_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentField" ADD CONSTRAINT "DocumentField_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DocumentVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentCorrection" ADD CONSTRAINT "DocumentCorrection_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
