// Prefixed ULIDs: sortable by creation time and self-describing, the same string in GraphQL
// and REST. The prefix tells the Relay `node` resolver which table to read.
import { ulid } from "ulid";

export const idPrefixes = {
  realm: "rlm",
  user: "usr",
  identity: "idn",
  role: "rol",
  resource: "res",
  scope: "scp",
  application: "app",
  tenant: "ten",
  userRole: "uro",
  session: "ses",
  refreshToken: "rtk",
  loginEvent: "lgn",
  passkey: "pky",
  signingKey: "key",
  auditEvent: "aud",
  managementKey: "mgk",
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid().toLowerCase()}`;
}

const idPattern = /^([a-z]{3})_([0-9a-hjkmnp-tv-z]{26})$/;

/** The kind of a well-formed id, or null for anything else. */
export function idKind(id: string): IdKind | null {
  const match = idPattern.exec(id);
  if (!match) return null;
  const entry = Object.entries(idPrefixes).find(([, prefix]) => prefix === match[1]);
  return entry ? (entry[0] as IdKind) : null;
}
