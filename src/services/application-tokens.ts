// Ending an application's access tokens before their expiry: its row carries a token generation,
// every client_credentials token names the generation it was issued under, and the verifier
// refuses a token whose application moved on (or is gone). Called in the transaction of every
// change to what an application's credentials are worth: secret rotation, role changes, a change
// to the scopes of a role it holds.
import type { Prisma } from "../generated/prisma/client.js";

type Tx = Prisma.TransactionClient;

/** Moves the applications' token generation on: tokens issued before stop working. */
export async function revokeApplicationTokens(tx: Tx, applicationIds: string[]): Promise<void> {
  if (applicationIds.length === 0) return;
  await tx.application.updateMany({ where: { id: { in: applicationIds } }, data: { tokenGeneration: { increment: 1 } } });
}

/** The same for every application that holds one of the roles (their scopes changed). */
export async function revokeTokensOfApplicationsHoldingRoles(tx: Tx, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  await tx.application.updateMany({ where: { roles: { some: { roleId: { in: roleIds } } } }, data: { tokenGeneration: { increment: 1 } } });
}
