-- An application's access tokens carry the generation they were issued under; rotating its
-- secret, changing its roles or deleting it moves the generation on (or removes the row), and the
-- verifier refuses tokens of an earlier generation within seconds instead of at their expiry.
ALTER TABLE "Application" ADD COLUMN "tokenGeneration" INTEGER NOT NULL DEFAULT 0;
