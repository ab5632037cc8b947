// Database errors reach the logs without the values of the statement that failed; other errors
// keep their message and stack. The errors are real ones, from a real database.
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../test/support/test-database.js";
import { newId } from "./db/ids.js";
import { serializeError } from "./logged-error.js";

let database: TestDatabase;
let realmId: string;
const secretEmail = "jane.secret@example.test";

beforeAll(async () => {
  database = await openTestDatabase();
  realmId = newId("realm");
  await database.prisma.realm.create({ data: { id: realmId, name: `logged-error-${realmId}` } });
  await database.prisma.user.create({ data: { id: newId("user"), realmId, email: secretEmail } });
});
afterAll(() => database?.close());

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

describe("a database error in a log line", () => {
  it("keeps the code and model of a unique violation, not the value", async () => {
    const error = await failure(() => database.prisma.user.create({ data: { id: newId("user"), realmId, email: secretEmail } }));
    const logged = serializeError(error);
    // Prisma reports it as P2002 over adapter-pg; pglite-prisma-adapter's error comes through as is.
    expect(logged).toMatchObject({ code: expect.stringMatching(/^(P2002|23505)$/) });
    if ((logged as { code: string }).code === "P2002") expect(logged).toMatchObject({ type: "PrismaClientKnownRequestError", model: "User" });
    expect(JSON.stringify(logged)).not.toContain(secretEmail);
  });

  it("leaves out the arguments Prisma prints for an invalid call", async () => {
    const error = await failure(() =>
      database.prisma.user.create({ data: { id: newId("user"), realmId, email: "other.secret@example.test", notAField: 1 } as never }),
    );
    expect(error).toHaveProperty("message", expect.stringContaining("other.secret@example.test"));
    const logged = serializeError(error);
    expect(logged).toMatchObject({ type: "PrismaClientValidationError" });
    expect(JSON.stringify(logged)).not.toContain("other.secret@example.test");
  });

  it("leaves out the message of a driver error, which can quote the input", async () => {
    const error = await failure(() => database.read("SELECT $1::int AS n", ["not-a-number-secret"]));
    expect(error).toHaveProperty("message", expect.stringContaining("not-a-number-secret"));
    const logged = serializeError(error);
    expect(logged).toMatchObject({ type: "DatabaseError", code: "22P02" });
    expect(JSON.stringify(logged)).not.toContain("not-a-number-secret");
  });

  it("is unwrapped from the GraphQL error that carried it", async () => {
    const error = await failure(() => database.prisma.user.create({ data: { id: newId("user"), realmId, email: secretEmail } }));
    const wrapped = new GraphQLError("Unexpected error.", { originalError: error as Error, path: ["createUser"] });
    const logged = serializeError(wrapped);
    expect(logged).toMatchObject({ type: "GraphQLError", path: ["createUser"], cause: { code: expect.stringMatching(/^(P2002|23505)$/) } });
    expect(JSON.stringify(logged)).not.toContain(secretEmail);
  });
});

it("keeps the message and stack of any other error", () => {
  const logged = serializeError(new TypeError("x is not a function"));
  expect(logged).toMatchObject({ type: "TypeError", message: "x is not a function", stack: expect.stringContaining("TypeError") });
});
