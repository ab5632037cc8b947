import type { Actor } from "../services/actor.js";
import type { GraphQLContext } from "./context.js";

/** The authenticated caller as services see it (audit, privilege policy). Only called behind an auth scope. */
export function actorOf(context: GraphQLContext): Actor {
  const principal = context.principal;
  if (!principal) throw new Error("actorOf called without a principal");
  return {
    type: principal.kind,
    id: principal.kind === "application" ? principal.clientId : principal.subject,
    realmId: principal.realmId,
    requestId: context.requestId,
    scopes: principal.scopes,
  };
}

/** The realm every read and write of this request is confined to. */
export function realmOf(context: GraphQLContext): string {
  const principal = context.principal;
  if (!principal) throw new Error("realmOf called without a principal");
  return principal.realmId;
}

/** `node(id)` lookups of realm-owned types: another realm's id reads as one that does not exist. */
export function inCallersRealm(id: string, context: GraphQLContext) {
  return { id, realmId: context.principal?.realmId ?? "" };
}
