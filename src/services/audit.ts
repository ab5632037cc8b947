// One AuditEvent per mutation, written in the mutation's own transaction so a failed change
// leaves no trace and a committed one always has its record.
import { newId } from "../db/ids.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** Fields whose values must never reach the audit log. */
const secretFields = new Set(["password", "passwordHash", "clientSecret", "clientSecretHash", "keyHash", "privateJwk"]);

export async function recordAudit(
  tx: Prisma.TransactionClient,
  actor: Pick<Actor, "type" | "id" | "realmId" | "requestId">,
  event: { action: string; targetType: string; targetId: string | null; changes?: FieldChanges },
): Promise<void> {
  const changes: FieldChanges = {};
  for (const [field, change] of Object.entries(event.changes ?? {})) {
    changes[field] = secretFields.has(field) ? { before: "[redacted]", after: "[redacted]" } : change;
  }
  await tx.auditEvent.create({
    data: {
      id: newId("auditEvent"),
      realmId: actor.realmId,
      actorType: actor.type,
      actorId: actor.id,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      changes: changes as Prisma.InputJsonObject,
      requestId: actor.requestId,
    },
  });
}

/** Before/after of the fields an update touched, for the audit record. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(before[field]) !== JSON.stringify(value)) changes[field] = { before: before[field], after: value };
  }
  return changes;
}
