-- CreateTable
CREATE TABLE "ManagementKey" (
    "id" TEXT NOT NULL,
    "realmId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyPrefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ManagementKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ManagementKey_keyHash_key" ON "ManagementKey"("keyHash");

-- CreateIndex
CREATE INDEX "ManagementKey_realmId_createdAt_id_idx" ON "ManagementKey"("realmId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "ManagementKey" ADD CONSTRAINT "ManagementKey_realmId_fkey" FOREIGN KEY ("realmId") REFERENCES "Realm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

