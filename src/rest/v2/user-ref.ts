// A write addressed by "<connection>|<id>" must name the user as it is: before DELETE and the
// role changes run their mutation, a prefixed user_id is checked against the user's connection
// (404 inexistent_user when it differs, as a read of that user_id answers). A bare id needs no check.
import type { Context } from "hono";
import { V2UserRefDocument } from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, inexistentUser } from "./errors.js";
import { isNamedUser, type UserRef } from "./user-shape.js";

/** The response to send when the user_id does not name a user, or null to go on. */
export async function checkUserRef(deps: RestDeps, c: Context<AppEnv>, ref: UserRef): Promise<Response | null> {
  if (ref.connection === null) return null;
  const data = dataOf(c, await deps.run(V2UserRefDocument, { id: ref.id }, c.get("graphqlContext")));
  if (data instanceof Response) return data;
  return isNamedUser(ref, data.user) ? null : inexistentUser(c);
}
