// Seed 001's batch create and batch delete, up to 500 rows, with one result per row in input
// order. A bad row never hides or blocks the others:
// - createUsers: every row is validated on its own, then each valid row is written in its own
//   transaction with its own audit event, in input order (so of two rows with the same email
//   the first wins). Rows that succeed stay created whatever happens to the others.
// - deleteUsers: the users found in the caller's realm are deleted in one transaction (one
//   audit event each); unknown ids, and ids of other realms, are reported per row.
// Access is checked for the whole batch before anything is written. Values of the wrong GraphQL
// type (a number for a string) fail the request as a whole, as for any GraphQL operation.
import { wrapErrorIfMatches } from "@pothos/plugin-errors";
import type { User } from "../../generated/prisma/client.js";
import { DomainError, NotFoundError } from "../../services/errors.js";
import { hashPassword } from "../../services/passwords.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { assertMayGrantRoles, requireScopes } from "../../services/privilege-policy.js";
import { checkListSize, limits } from "../input-limits.js";
import { insertUser, removeUsers } from "../user-writes.js";
import { ErrorInterface, writeErrors } from "./errors.js";
import { User as UserType } from "./user.js";
import { CreateUserInput, readNewUser } from "./user-mutations.js";

const CreateUsersInput = builder.inputType("CreateUsersInput", {
  fields: (t) => ({
    users: t.field({ type: [CreateUserInput], required: true, description: `At most ${limits.batchSize} rows.` }),
  }),
});

const DeleteUsersInput = builder.inputType("DeleteUsersInput", {
  fields: (t) => ({
    ids: t.idList({ required: true, description: `At most ${limits.batchSize} ids.` }),
  }),
});

type CreateRow = { index: number; user: User | null; error: DomainError | null };
type DeleteRow = { index: number; id: string; deleted: boolean; error: DomainError | null };

/**
 * graphql-js treats an Error returned by a resolver as thrown; the errors plugin's wrapper lets
 * the row's typed error through as data, as it does for the mutation's own result union.
 */
const rowError = (error: DomainError | null): DomainError | null => (error ? (wrapErrorIfMatches(error, writeErrors) as DomainError) : null);

const CreateUsersRowResult = builder.objectRef<CreateRow>("CreateUsersRowResult").implement({
  description: "One row of createUsers: the created user, or why that row was not created.",
  fields: (t) => ({
    index: t.exposeInt("index", { description: "Position of the row in input.users, from 0." }),
    user: t.expose("user", { type: UserType, nullable: true }),
    error: t.field({ type: ErrorInterface, nullable: true, resolve: (row) => rowError(row.error) }),
  }),
});

const CreateUsersPayload = builder.simpleObject("CreateUsersPayload", {
  fields: (t) => ({
    results: t.field({ type: [CreateUsersRowResult], description: "One per input row, in input order." }),
    createdCount: t.int(),
    failedCount: t.int(),
  }),
});

const DeleteUsersRowResult = builder.objectRef<DeleteRow>("DeleteUsersRowResult").implement({
  fields: (t) => ({
    index: t.exposeInt("index", { description: "Position of the id in input.ids, from 0." }),
    id: t.exposeID("id"),
    deleted: t.exposeBoolean("deleted"),
    error: t.field({ type: ErrorInterface, nullable: true, resolve: (row) => rowError(row.error) }),
  }),
});

const DeleteUsersPayload = builder.simpleObject("DeleteUsersPayload", {
  fields: (t) => ({
    results: t.field({ type: [DeleteUsersRowResult], description: "One per input id, in input order." }),
    deletedCount: t.int(),
    failedCount: t.int(),
  }),
});

/** Runs `work` for a row, turning an expected failure into that row's error. */
async function perRow<T>(work: () => T | Promise<T>): Promise<{ value: T; error: null } | { value: null; error: DomainError }> {
  try {
    return { value: await work(), error: null };
  } catch (error) {
    if (error instanceof DomainError) return { value: null, error };
    throw error;
  }
}

/** Roles are granted only with users:roles, and only those whose management scopes the caller holds. */
async function assertCanGrantToUsers(context: GraphQLContext, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  requireScopes(actorOf(context), ["users:roles"], "Giving users roles");
  const roles = await context.prisma.role.findMany({ where: { id: { in: roleIds }, realmId: realmOf(context) }, select: { id: true } });
  await assertMayGrantRoles(context.prisma, actorOf(context), roles.map((role) => role.id));
}

builder.mutationFields((t) => ({
  createUsers: t.field({
    type: CreateUsersPayload,
    description: "Creates up to 500 users; each row succeeds or fails on its own (see CreateUsersRowResult).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateUsersInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.users", input.users, limits.batchSize);
      const rows = await Promise.all(input.users.map((row, index) => perRow(() => readNewUser(row, `input.users.${index}`))));
      await assertCanGrantToUsers(context, [...new Set(rows.flatMap((row) => row.value?.user.roleIds ?? []))]);
      // Hash every valid row's password up front; hashPassword queues for its own slots.
      const hashes = await Promise.all(rows.map((row) => (row.value?.password ? hashPassword(row.value.password) : null)));
      const results: CreateRow[] = [];
      for (const [index, row] of rows.entries()) {
        const prepared = row.value;
        if (!prepared) {
          results.push({ index, user: null, error: row.error });
          continue;
        }
        const written = await perRow(() => insertUser(context, { ...prepared.user, passwordHash: hashes[index] ?? null }, `input.users.${index}`));
        results.push({ index, user: written.value, error: written.error });
      }
      const createdCount = results.filter((row) => row.user).length;
      return { results, createdCount, failedCount: results.length - createdCount };
    },
  }),
  deleteUsers: t.field({
    type: DeleteUsersPayload,
    description: "Deletes up to 500 users of the realm; ids that match no user are reported per row.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteUsersInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.ids", input.ids, limits.batchSize);
      const ids = input.ids.map(String);
      const realmId = realmOf(context);
      const deleted = await context.prisma.$transaction(
        async (tx) => {
          const users = await tx.user.findMany({
            where: { id: { in: [...new Set(ids)] }, realmId },
            select: { id: true, email: true, username: true },
            orderBy: { id: "asc" },
          });
          await removeUsers(tx, context, users);
          return new Set(users.map((user) => user.id));
        },
        { timeout: 60_000 },
      );
      const results: DeleteRow[] = ids.map((id, index) =>
        deleted.has(id) ? { index, id, deleted: true, error: null } : { index, id, deleted: false, error: new NotFoundError("User", id) },
      );
      return { results, deletedCount: deleted.size, failedCount: results.filter((row) => !row.deleted).length };
    },
  }),
}));
