// Node ids are the prefixed database ids themselves (`usr_…`), not base64 type:id pairs, so
// GraphQL and REST show the same string. The prefix names the GraphQL type.
import { idKind, type IdKind } from "../db/ids.js";

const typenameByKind: Partial<Record<IdKind, string>> = {
  realm: "Realm",
  user: "User",
  identity: "Identity",
  role: "Role",
  resource: "Resource",
  scope: "Scope",
  application: "Application",
  tenant: "Tenant",
  session: "Session",
  loginEvent: "LoginEvent",
  passkey: "Passkey",
  auditEvent: "AuditEvent",
};

export function encodeId(_typename: string, id: string | number | bigint): string {
  return String(id);
}

/** An unknown prefix decodes to a typename no type has, so `node` answers null. */
export function decodeId(globalId: string): { typename: string; id: string } {
  const kind = idKind(globalId);
  return { typename: (kind && typenameByKind[kind]) ?? "Unknown", id: globalId };
}
