-- AlterTable: where a user's role comes from. "config" roles follow a2d2.yaml and are re-synced
-- at every start; "granted" roles were given by the code outside the file and are kept.
ALTER TABLE "User" ADD COLUMN     "roleSource" TEXT NOT NULL DEFAULT 'config';

-- The admin that A2D2_API_TOKEN signs in as is the one role granted outside the file.
UPDATE "User" SET "roleSource" = 'granted'
 WHERE id IN (SELECT "userId" FROM "UserIdentity" WHERE platform = 'console' AND "platformUserId" = 'api-token');
