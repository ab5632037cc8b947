-- Indexes for the user search compiler (src/services/user-search). Prisma's schema cannot
-- describe expression, operator-class or trigram indexes, so they live only here; migrations
-- authored by diffing schema files never drop them. The compiler emits exactly the expressions
-- indexed below: change one only together with the other.

-- Trigram operator classes (PostgreSQL contrib; PGlite loads it through its `extensions` option).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Exact values in JSON documents: "appMetadata" @@ '$."plan" == "pro"'::jsonpath (also serves @>)
CREATE INDEX "User_appMetadata_path_idx" ON "User" USING GIN ("appMetadata" jsonb_path_ops);
CREATE INDEX "User_userMetadata_path_idx" ON "User" USING GIN ("userMetadata" jsonb_path_ops);
CREATE INDEX "User_customAttributes_path_idx" ON "User" USING GIN ("customAttributes" jsonb_path_ops);

-- Case-insensitive equality and prefix: lower("name") = lower($1), lower("name") LIKE 'jo%'.
-- text_pattern_ops serves LIKE prefixes under any collation.
CREATE INDEX "User_realmId_lower_name_idx" ON "User" ("realmId", lower("name") text_pattern_ops);
CREATE INDEX "User_realmId_lower_givenName_idx" ON "User" ("realmId", lower("givenName") text_pattern_ops);
CREATE INDEX "User_realmId_lower_familyName_idx" ON "User" ("realmId", lower("familyName") text_pattern_ops);
CREATE INDEX "User_realmId_lower_nickname_idx" ON "User" ("realmId", lower("nickname") text_pattern_ops);
CREATE INDEX "User_realmId_lower_username_idx" ON "User" ("realmId", lower("username") text_pattern_ops);

-- Email prefix: emails are stored lower-cased, so "email" LIKE 'jo%' (equality already uses
-- the unique index "User_realmId_email_key").
CREATE INDEX "User_realmId_email_pattern_idx" ON "User" ("realmId", "email" text_pattern_ops);

-- Bare terms: a substring of the search text, "… LIKE '%term%'".
CREATE INDEX "User_searchText_trgm_idx" ON "User" USING GIN (
  (lower(coalesce("name", '') || ' ' || coalesce("givenName", '') || ' ' || coalesce("familyName", '') || ' ' || coalesce("nickname", '') || ' ' || coalesce("username", '') || ' ' || coalesce("email", ''))) gin_trgm_ops
);
