// The relations of directory rows for GraphQL fields, batched per request: every field that asks
// for a relation in the same tick (the roles of each user of a page, the scopes of each of those
// roles one tick later) shares one statement. Batched, not cached: a mutation (or the next
// operation a REST route runs in the same context) must read the rows it changed. Authorization
// stays on the types: each row still passes its type's authScopes.
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { readRelations, type Related, type Relation, type RelationKey } from "../services/directory-relations.js";
import { realmOf } from "./actor.js";
import type { GraphQLContext } from "./context.js";

const loaderOf = createContextCache(
  (context: GraphQLContext) =>
    new DataLoader<RelationKey, Array<Related<Relation>>, string>((keys) => readRelations(context.read, realmOf(context), keys), {
      cache: false,
    }),
);

/** The rows related to `owner`, with the link's `via` (the tenant of a tenant role). */
export function loadRelated<R extends Relation>(context: GraphQLContext, relation: R, owner: string): Promise<Array<Related<R>>> {
  return loaderOf(context).load({ relation, owner }) as Promise<Array<Related<R>>>;
}

/** Just the rows related to `owner`. */
export async function loadRelatedRows<R extends Relation>(context: GraphQLContext, relation: R, owner: string): Promise<Array<Related<R>["row"]>> {
  return (await loadRelated(context, relation, owner)).map((related) => related.row);
}

/** The one row a relation to one target must find (a foreign key held it, the realm matched). */
export async function loadRequired<R extends Relation>(context: GraphQLContext, relation: R, owner: string): Promise<Related<R>["row"]> {
  const [related] = await loadRelated(context, relation, owner);
  if (!related) throw new Error(`${relation} ${owner}: no row of the caller's realm`);
  return related.row;
}
