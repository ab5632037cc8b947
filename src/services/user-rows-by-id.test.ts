// findUserRowById: lookups of the same turn share a statement per realm and column set, each gets
// its own row (or null outside its realm), and nothing is remembered from one turn to the next.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { newId } from "../db/ids.js";
import { findUserRowById } from "./user-rows-by-id.js";

let database: TestDatabase;
const statements: string[] = [];
const realms = [newId("realm"), newId("realm")] as const;
const users = [
  { id: newId("user"), realmId: realms[0], email: "ada@rows.test" },
  { id: newId("user"), realmId: realms[0], email: "bob@rows.test" },
  { id: newId("user"), realmId: realms[1], email: "cyd@rows.test" },
];

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (sql) => statements.push(sql) });
  await database.prisma.realm.createMany({ data: realms.map((id) => ({ id, name: `rows-${id}` })) });
  await database.prisma.user.createMany({ data: users });
});
afterAll(() => database?.close());

async function countStatements<T>(run: () => Promise<T>): Promise<{ result: T; count: number }> {
  statements.length = 0;
  const result = await run();
  return { result, count: statements.length };
}

describe("findUserRowById", () => {
  it("answers lookups of one turn, realm and column set with one statement", async () => {
    const [ada, bob] = users;
    const { result, count } = await countStatements(() =>
      Promise.all([ada, bob, ada].map((user) => findUserRowById(database.read, realms[0], user!.id, ["email"]))),
    );
    expect(result.map((row) => row?.email)).toEqual(["ada@rows.test", "bob@rows.test", "ada@rows.test"]);
    expect(count).toBe(1);
  });

  it("reads each realm on its own: an id of another realm is null, even in the same statement's turn", async () => {
    const cyd = users[2]!;
    const { result, count } = await countStatements(() =>
      Promise.all([
        findUserRowById(database.read, realms[0], cyd.id, ["email"]),
        findUserRowById(database.read, realms[1], cyd.id, ["email"]),
        findUserRowById(database.read, realms[1], cyd.id, ["email", "createdAt"]),
        findUserRowById(database.read, realms[1], "usr_nobody", []),
      ]),
    );
    expect(result[0]).toBeNull();
    expect(result[1]).toMatchObject({ email: "cyd@rows.test" });
    expect(result[2]).toMatchObject({ email: "cyd@rows.test", createdAt: expect.any(Date) });
    expect(result[3]).toBeNull();
    expect(count).toBe(4);
  });

  it("remembers nothing: a later lookup sees a change made in between", async () => {
    const ada = users[0]!;
    expect((await findUserRowById(database.read, realms[0], ada.id, ["name"]))?.name).toBeNull();
    await database.prisma.user.update({ where: { id: ada.id }, data: { name: "Ada" } });
    expect((await findUserRowById(database.read, realms[0], ada.id, ["name"]))?.name).toBe("Ada");
  });
});
