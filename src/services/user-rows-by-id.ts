// One user row by id, for the hottest read of the API (GraphQL `user(id)`, the REST profiles' GET
// of a user). Lookups made in the same turn of the event loop (concurrent requests, typically)
// share one statement per realm and column set: under load that is one round trip for several
// requests instead of one each, which is most of what such a request costs the gateway and the
// database. Nothing is kept between turns: every lookup reads the rows as they are when its
// statement runs, as a read of its own would.
import DataLoader from "dataloader";
import type { User } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";
import { findUserRows } from "./user-directory.js";

type Lookup = { realmId: string; columns: readonly string[]; id: string };
type Row = Partial<User>;

const batchers = new WeakMap<SqlReader, DataLoader<Lookup, Row | null>>();

/** The given columns of the user with this id in the realm (all when none are named), or null. */
export function findUserRowById(read: SqlReader, realmId: string, id: string, columns: readonly string[] = []): Promise<Row | null> {
  let batcher = batchers.get(read);
  if (!batcher) {
    batcher = new DataLoader((lookups) => readBatch(read, lookups), {
      cache: false,
      // After this turn's I/O callbacks, so requests read from the network together batch together.
      batchScheduleFn: (dispatch) => setImmediate(dispatch),
    });
    batchers.set(read, batcher);
  }
  return batcher.load({ realmId, columns, id });
}

async function readBatch(read: SqlReader, lookups: readonly Lookup[]): Promise<Array<Row | null>> {
  const groups = new Map<string, { realmId: string; columns: readonly string[]; ids: Set<string> }>();
  const groupOf = (lookup: Lookup) => `${lookup.realmId}\n${lookup.columns.join(",")}`;
  for (const lookup of lookups) {
    const key = groupOf(lookup);
    const group = groups.get(key) ?? groups.set(key, { realmId: lookup.realmId, columns: lookup.columns, ids: new Set() }).get(key)!;
    group.ids.add(lookup.id);
  }
  const found = new Map<string, Map<string, Row>>();
  await Promise.all(
    [...groups].map(async ([key, { realmId, columns, ids }]) => {
      // The id maps rows back to their lookups; with no columns named every column comes anyway.
      const withId = columns.length === 0 || columns.includes("id") ? columns : [...columns, "id"];
      const rows = await findUserRows(read, realmId, [...ids], [...withId]);
      found.set(key, new Map(rows.map((row) => [row.id!, row])));
    }),
  );
  return lookups.map((lookup) => found.get(groupOf(lookup))!.get(lookup.id) ?? null);
}
