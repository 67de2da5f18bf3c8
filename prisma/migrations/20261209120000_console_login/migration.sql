-- One-time sign-in links to the web console (/console/login?token=...): the sha256 of the
-- token, whose user, until when; `usedAt` set by the one redemption, so a reused link is told
-- from an expired one.
-- CreateTable
CREATE TABLE "ConsoleLoginToken" (
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "locale" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleLoginToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "ConsoleLoginToken_expiresAt_idx" ON "ConsoleLoginToken"("expiresAt");
