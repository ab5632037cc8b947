// Seed 001's batch create and batch delete, up to 500 rows, with one result per row in input
// order. A bad row never hides or blocks the others:
// - createUsers: every row is validated on its own, then each valid row is written in its own
//   transaction with its own audit event, in input order (so of two rows with the same email
//   the first wins). Rows that succeed stay created whatever happens to the others.
// - deleteUsers: the users found in the caller's realm are deleted in one transaction (one
//   audit event each); unknown ids, and ids of other realms, are reported per row.
// Access is checked for the whole batch before anything is written (services/user-lifecycle.ts):
// a batch that gives roles beyond the caller, or deletes a user holding more than it, is refused
// as a whole. Values of the wrong GraphQL type (a number for a string) fail the request as a
// whole, as for any GraphQL operation.
import { wrapErrorIfMatches } from "@pothos/plugin-errors";
import type { User } from "../../generated/prisma/client.js";
import { DomainError, NotFoundError } from "../../services/errors.js";
import { createUsers, deleteUsers, type NewUserRow } from "../../services/user-lifecycle.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkListSize, limits } from "../input-limits.js";
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

/** Validates one row, turning an expected failure into that row's error. */
function readRow(row: typeof CreateUserInput.$inferInput, path: string): NewUserRow | DomainError {
  try {
    return { path, user: readNewUser(row, path) };
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
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
      const rows = input.users.map((row, index) => readRow(row, `input.users.${index}`));
      const valid = rows.filter((row): row is NewUserRow => !(row instanceof DomainError));
      const written = (await createUsers(context.prisma, actorOf(context), valid)).values();
      const results: CreateRow[] = rows.map((row, index) => {
        const outcome = row instanceof DomainError ? row : written.next().value!;
        return outcome instanceof DomainError ? { index, user: null, error: outcome } : { index, user: outcome, error: null };
      });
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
      const deleted = await deleteUsers(context.prisma, actorOf(context), { ids });
      const results: DeleteRow[] = ids.map((id, index) =>
        deleted.has(id) ? { index, id, deleted: true, error: null } : { index, id, deleted: false, error: new NotFoundError("User", id) },
      );
      return { results, deletedCount: deleted.size, failedCount: results.filter((row) => !row.deleted).length };
    },
  }),
}));
