-- CreateTable
CREATE TABLE "PasskeyCeremony" (
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PasskeyCeremony_pkey" PRIMARY KEY ("jti")
);

-- CreateIndex
CREATE INDEX "PasskeyCeremony_expiresAt_idx" ON "PasskeyCeremony"("expiresAt");

