-- Every realm signs with keys of its own: with one shared set, a token minted in one realm for
-- an API indicator of another (indicators are unique per realm only) verified there. The keys
-- that exist were the default realm's in practice, so they go to the admin realm (the default
-- realm) and its outstanding tokens stay valid; other realms get keys of their own at start-up.
ALTER TABLE "SigningKey" ADD COLUMN "realmId" TEXT;
UPDATE "SigningKey" SET "realmId" = (SELECT id FROM "Realm" WHERE "isAdmin" ORDER BY "createdAt", id LIMIT 1);
-- Keys from before any realm existed signed nothing a realm accepts.
DELETE FROM "SigningKey" WHERE "realmId" IS NULL;
ALTER TABLE "SigningKey" ALTER COLUMN "realmId" SET NOT NULL;

DROP INDEX "SigningKey_status_createdAt_idx";
CREATE INDEX "SigningKey_realmId_status_createdAt_idx" ON "SigningKey"("realmId", "status", "createdAt");

ALTER TABLE "SigningKey" ADD CONSTRAINT "SigningKey_realmId_fkey" FOREIGN KEY ("realmId") REFERENCES "Realm"("id") ON DELETE CASCADE ON UPDATE CASCADE;
