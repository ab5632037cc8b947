// The seed names roles (`"role": "editor"`); GraphQL takes their ids. The roles query (scope
// roles:read) finds the roles whose name starts with the given one; the route keeps the one
// named exactly so (role names are unique per realm and case-sensitive).
import type { Context } from "hono";
import { SimpleRolesByNameDocument, type SimpleRolesByNameQueryVariables } from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf } from "./errors.js";

/** The role's id, null when the realm has no role of that name, or the failure to send (403). */
export async function roleIdByName(deps: RestDeps, c: Context<AppEnv>, name: string): Promise<string | null | Response> {
  let after: string | null = null;
  for (;;) {
    const variables: SimpleRolesByNameQueryVariables = { name, after };
    const data = dataOf(c, await deps.run(SimpleRolesByNameDocument, variables, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const match = data.roles.edges.find((edge) => edge.node.name === name);
    if (match) return match.node.id;
    if (!data.roles.pageInfo.hasNextPage || !data.roles.pageInfo.endCursor) return null;
    after = data.roles.pageInfo.endCursor;
  }
}
