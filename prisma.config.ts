// Prisma CLI configuration, used to generate the client and to author migrations by diffing
// schema files (see README). The native schema engine cannot be downloaded offline, so the CLI
// runs its WASM engine over an in-memory PGlite. Migrations are applied by `npm run migrate`
// and at start-up (src/db/migrator.ts), never through the CLI against a real database.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

let scratch: PGlite | undefined;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    // The CLI asks for the adapter more than once per command: share one instance.
    scratch ??= new PGlite({ extensions: { pg_trgm } });
    return new PrismaPGlite(scratch);
  },
});
