// What every PGlite cluster of usergate has: the pg_trgm extension (the search indexes need it)
// and a smaller buffer cache. PostgreSQL's default of 128 MB lives inside the WASM heap and made
// up a third of the gateway's resident memory; 32 MB holds the hot pages of a directory of
// 100,000 users, and misses are read from the OS page cache.
import type { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const pgliteExtensions = { pg_trgm };

/** Settings of a new cluster; PGlite reads them at its next start (postgresql.auto.conf). */
export async function configureNewCluster(client: PGlite): Promise<void> {
  await client.exec("ALTER SYSTEM SET shared_buffers = '32MB'");
}
