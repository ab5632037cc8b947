// Prefixed ULIDs: sortable by creation time and self-describing, the same string in GraphQL
// and REST. The prefix tells the Relay `node` resolver which table to read.
import { randomFillSync } from "node:crypto";
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

// ulid's default generator asks the OS for one byte per character (16 calls per id, ~0.1 ms
// of event-loop CPU); ids come from a pooled buffer of CSPRNG bytes instead, each used once.
const randomPool = Buffer.alloc(4096);
let poolOffset = randomPool.length;
const pooledRandom = () => {
  if (poolOffset === randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  return randomPool[poolOffset++]! / 256;
};

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid(undefined, pooledRandom).toLowerCase()}`;
}

const idPattern = /^([a-z]{3})_([0-9a-hjkmnp-tv-z]{26})$/;

/** The kind of a well-formed id, or null for anything else. */
export function idKind(id: string): IdKind | null {
  const match = idPattern.exec(id);
  if (!match) return null;
  const entry = Object.entries(idPrefixes).find(([, prefix]) => prefix === match[1]);
  return entry ? (entry[0] as IdKind) : null;
}
