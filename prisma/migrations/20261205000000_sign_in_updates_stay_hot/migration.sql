-- Every sign-in updates its user's counters ("lastLoginAt", "lastLoginIp", "loginsCount",
-- "updatedAt"). With "lastLoginAt" indexed, each of those updates wrote a new entry into every
-- index of "User": 17, four of them GIN indexes that take entries at once (fastupdate off), the
-- trigram one many per row. Without that index a sign-in changes no indexed column, and
-- PostgreSQL updates the row in place (a HOT update) when its page has room; a fill factor of 90
-- keeps room on pages written from now on. Searches and filters on last_login read the realm's
-- users instead (an occasional admin query, against one write per sign-in).
DROP INDEX "User_realmId_lastLoginAt_idx";
ALTER TABLE "User" SET (fillfactor = 90);
