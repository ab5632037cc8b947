-- AlterTable
ALTER TABLE "User" ADD COLUMN     "signInUnlockedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "audience" TEXT,
ADD COLUMN     "requestedScope" TEXT;

-- CreateIndex
CREATE INDEX "LoginEvent_realmId_identifier_ip_createdAt_idx" ON "LoginEvent"("realmId", "identifier", "ip", "createdAt");

