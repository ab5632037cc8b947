-- GIN's fast update parks new entries in a pending list that every search scans in full until
-- VACUUM merges it, which can be as late as gin_pending_list_limit (4 MB). On 100,000 users an
-- app_metadata lookup took 6.6 ms with a full list and 0.03 ms with it merged (npm run bench).
-- Users are searched far more often than written: write each entry into the index at once.
ALTER INDEX "User_appMetadata_path_idx" SET (fastupdate = off);
ALTER INDEX "User_userMetadata_path_idx" SET (fastupdate = off);
ALTER INDEX "User_customAttributes_path_idx" SET (fastupdate = off);
ALTER INDEX "User_searchText_trgm_idx" SET (fastupdate = off);

-- Turning it off leaves what is already pending in place: merge it now.
SELECT gin_clean_pending_list('"User_appMetadata_path_idx"'::regclass);
SELECT gin_clean_pending_list('"User_userMetadata_path_idx"'::regclass);
SELECT gin_clean_pending_list('"User_customAttributes_path_idx"'::regclass);
SELECT gin_clean_pending_list('"User_searchText_trgm_idx"'::regclass);
