// A principal may hand out only management permissions it holds itself: otherwise a client
// with applications:write could mint an application holding every scope.
import type { Prisma } from "../generated/prisma/client.js";
import type { GraphQLContext } from "./context.js";
import { insufficientScopeError } from "./errors.js";

export async function assertCanGrantRoles(tx: Prisma.TransactionClient, context: GraphQLContext, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  const granted = await tx.scope.findMany({
    where: { resource: { isManagement: true }, roles: { some: { roleId: { in: roleIds } } } },
    select: { name: true },
  });
  assertCanGrantScopes(context, granted.map((scope) => scope.name));
}

export function assertCanGrantScopes(context: GraphQLContext, scopes: string[]): void {
  const held = context.principal?.scopes;
  if (!held || scopes.some((scope) => !held.has(scope))) throw insufficientScopeError();
}
