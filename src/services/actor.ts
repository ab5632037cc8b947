// Who performs a write, as every service sees it: for the audit record (who, from which request)
// and for the privilege policy (which management scopes the caller's credential carries).
import type { ActorType } from "../generated/prisma/client.js";

export type Actor = {
  type: ActorType;
  /** The client id of an application, the id of a user or of a management key. */
  id: string | null;
  realmId: string;
  requestId: string | null;
  /** The scopes of the credential this request came with (a token may carry fewer than its holder has). */
  scopes: ReadonlySet<string>;
};
