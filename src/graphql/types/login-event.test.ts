// Login history through HTTP: User.loginHistory and the realm-wide loginEvents list with filters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { createOtherRealm, expectAccessDenied, insertApplication, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";
import type { LoginOutcome } from "../../generated/prisma/client.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };
let alice: { id: string; realmId: string };
let bob: { id: string; realmId: string };
let portal: { id: string };
const base = Date.parse("2026-06-01T12:00:00.000Z");
const at = (minutes: number) => new Date(base + minutes * 60_000);
const ids: Record<string, string> = {};

async function insertEvent(
  key: string,
  data: { realmId?: string; userId?: string | null; outcome: LoginOutcome; minutes: number; applicationId?: string; identifier?: string },
) {
  const id = newId("loginEvent");
  ids[key] = id;
  await gateway.database.prisma.loginEvent.create({
    data: {
      id,
      realmId: data.realmId ?? gateway.defaultRealmId,
      userId: data.userId ?? null,
      applicationId: data.applicationId ?? null,
      identifier: data.identifier ?? null,
      method: "password",
      outcome: data.outcome,
      ip: "198.51.100.4",
      userAgent: "curl/8",
      createdAt: at(data.minutes),
    },
  });
}

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
  alice = await insertUser(gateway, { email: "alice@history.test" });
  bob = await insertUser(gateway, { email: "bob@history.test" });
  portal = await insertApplication(gateway, { name: "portal" });
  await insertEvent("a1", { userId: alice.id, outcome: "wrong_password", minutes: 0, applicationId: portal.id });
  await insertEvent("a2", { userId: alice.id, outcome: "success", minutes: 1, applicationId: portal.id });
  await insertEvent("b1", { userId: bob.id, outcome: "success", minutes: 2 });
  await insertEvent("unknown", { outcome: "unknown_user", minutes: 3, identifier: "mallory@history.test" });
  await insertEvent("a3", { userId: alice.id, outcome: "success", minutes: 4, applicationId: "app_deleted" });
  const theirUser = await insertUser(gateway, { realmId: other.realmId });
  await insertEvent("foreign", { realmId: other.realmId, userId: theirUser.id, outcome: "success", minutes: 5 });
});
afterAll(() => gateway.close());

const history = `query($id: ID!, $first: Int, $after: String) { user(id: $id) { loginHistory(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id outcome method ip userAgent createdAt applicationId application { name } user { email } } } } } }`;
const events = `query($filter: LoginEventFilter, $first: Int) { loginEvents(filter: $filter, first: $first) {
  totalCount edges { node { id outcome identifier user { email } } } } }`;

const nodeIds = (connection: any) => connection.edges.map((edge: any) => edge.node.id);

describe("User.loginHistory", () => {
  it("lists the user's attempts newest first, in pages, with the application when it still exists", async () => {
    const first = await graphqlOk(gateway, admin, history, { id: alice.id, first: 2 });
    expect(first.user.loginHistory.totalCount).toBe(3);
    expect(nodeIds(first.user.loginHistory)).toEqual([ids.a3, ids.a2]);
    expect(first.user.loginHistory.edges[0].node).toMatchObject({ applicationId: "app_deleted", application: null, user: { email: "alice@history.test" } });
    expect(first.user.loginHistory.edges[1].node).toMatchObject({
      outcome: "success",
      method: "password",
      ip: "198.51.100.4",
      userAgent: "curl/8",
      createdAt: at(1).toISOString(),
      application: { name: "portal" },
    });
    const rest = await graphqlOk(gateway, admin, history, { id: alice.id, first: 2, after: first.user.loginHistory.pageInfo.endCursor });
    expect(nodeIds(rest.user.loginHistory)).toEqual([ids.a1]);
    expect(rest.user.loginHistory.pageInfo.hasNextPage).toBe(false);
  });

  it("needs users:read", async () => {
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    expectAccessDenied(await graphql(gateway, rolesReader, history, { id: alice.id }));
  });
});

describe("loginEvents", () => {
  it("lists the realm's attempts newest first, never another realm's", async () => {
    const all = await graphqlOk(gateway, admin, events, {});
    expect(all.loginEvents.totalCount).toBe(5);
    expect(nodeIds(all.loginEvents)).toEqual([ids.a3, ids.unknown, ids.b1, ids.a2, ids.a1]);
    expect(all.loginEvents.edges[1].node).toEqual({ id: ids.unknown, outcome: "unknown_user", identifier: "mallory@history.test", user: null });
    const theirs = await graphqlOk(gateway, other.token, events, {});
    expect(nodeIds(theirs.loginEvents)).toEqual([ids.foreign]);
    const node = await graphqlOk(gateway, admin, `query($id: ID!) { node(id: $id) { ... on LoginEvent { outcome } } }`, { id: ids.a1 });
    expect(node.node).toEqual({ outcome: "wrong_password" });
    expect((await graphqlOk(gateway, admin, `query($id: ID!) { node(id: $id) { id } }`, { id: ids.foreign })).node).toBeNull();
  });

  it("filters by user, outcome, application and time range", async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ userId: alice.id }, ["a3", "a2", "a1"]],
      [{ outcome: ["success"] }, ["a3", "b1", "a2"]],
      [{ outcome: ["wrong_password", "unknown_user"] }, ["unknown", "a1"]],
      [{ applicationId: portal.id }, ["a2", "a1"]],
      [{ from: at(1).toISOString(), to: at(4).toISOString() }, ["unknown", "b1", "a2"]],
      [{ userId: alice.id, outcome: ["success"], from: at(2).toISOString() }, ["a3"]],
      [{ userId: "usr_nobody" }, []],
    ];
    for (const [filter, expected] of cases) {
      const result = await graphqlOk(gateway, admin, events, { filter });
      expect(nodeIds(result.loginEvents), JSON.stringify(filter)).toEqual(expected.map((key) => ids[key]));
      expect(result.loginEvents.totalCount).toBe(expected.length);
    }
  });

  it("rejects invalid filters and needs users:read", async () => {
    const badOutcome = await graphql(gateway, admin, events, { filter: { outcome: ["maybe"] } });
    expect(badOutcome.status).toBe(400);
    const badDate = await graphql(gateway, admin, events, { filter: { from: "yesterday" } });
    expect(badDate.status).toBe(400);
    const appsReader = await tokenFor(gateway, adminClient, { scope: "applications:read" });
    expectAccessDenied(await graphql(gateway, appsReader, events, {}));
  });
});
