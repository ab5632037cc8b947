// The audit log through HTTP: what mutations record, read back with filters, behind audit:read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { createOtherRealm, expectAccessDenied, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };
let tenantId: string;
let userId: string;
let startedAt: string;
let middle: string;

const auditEvents = `query($filter: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id action actorType actorId targetType targetId changes requestId createdAt } } } }`;

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
  startedAt = new Date().toISOString();
  const created = await graphqlOk(gateway, admin, `mutation { createTenant(input: { name: "audited" }) { ... on TenantPayload { tenant { id } } } }`);
  tenantId = created.createTenant.tenant.id;
  await new Promise((resolve) => setTimeout(resolve, 20));
  middle = new Date().toISOString();
  await graphqlOk(gateway, admin, `mutation($id: ID!) { updateTenant(input: { id: $id, name: "audited 2" }) { __typename } }`, { id: tenantId });
  userId = (await insertUser(gateway)).id;
  await graphqlOk(gateway, admin, `mutation($u: ID!, $t: ID!) { addUserTenant(input: { userId: $u, tenantId: $t }) { __typename } }`, {
    u: userId,
    t: tenantId,
  });
  await graphqlOk(gateway, other.token, `mutation { createTenant(input: { name: "elsewhere" }) { __typename } }`);
});
afterAll(() => gateway.close());

const actions = (result: any) => result.auditEvents.edges.map((edge: any) => edge.node.action);

describe("auditEvents", () => {
  it("lists the realm's events newest first with actor, target, changes and request id", async () => {
    const result = await graphqlOk(gateway, admin, auditEvents, { filter: { from: startedAt } });
    expect(actions(result)).toEqual(["user.tenants.add", "tenant.update", "tenant.create"]);
    expect(result.auditEvents.totalCount).toBe(3);
    expect(result.auditEvents.edges[1].node).toMatchObject({
      action: "tenant.update",
      actorType: "application",
      actorId: adminClient.clientId,
      targetType: "Tenant",
      targetId: tenantId,
      changes: { name: { before: "audited", after: "audited 2" } },
      requestId: expect.any(String),
    });
  });

  it("filters by action (exact or prefix), target, actor and time range, and pages", async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ action: "tenant.update" }, ["tenant.update"]],
      [{ action: "tenant.*", from: startedAt }, ["tenant.update", "tenant.create"]],
      [{ targetId: tenantId }, ["tenant.update", "tenant.create"]],
      [{ targetId: userId }, ["user.tenants.add"]],
      [{ actorId: adminClient.clientId, from: middle }, ["user.tenants.add", "tenant.update"]],
      [{ from: startedAt, to: middle }, ["tenant.create"]],
      [{ actorId: "someone-else" }, []],
    ];
    for (const [filter, expected] of cases) {
      expect(actions(await graphqlOk(gateway, admin, auditEvents, { filter })), JSON.stringify(filter)).toEqual(expected);
    }
    const page = await graphqlOk(gateway, admin, auditEvents, { filter: { from: startedAt }, first: 2 });
    expect(actions(page)).toEqual(["user.tenants.add", "tenant.update"]);
    const next = await graphqlOk(gateway, admin, auditEvents, { filter: { from: startedAt }, first: 2, after: page.auditEvents.pageInfo.endCursor });
    expect(actions(next)).toEqual(["tenant.create"]);
  });

  it("keeps each realm's log to itself", async () => {
    const theirs = await graphqlOk(gateway, other.token, auditEvents, { filter: { action: "tenant.create" } });
    expect(theirs.auditEvents.edges.map((edge: any) => edge.node.changes)).toEqual([{ name: { before: null, after: "elsewhere" } }]);
    const mine = await graphqlOk(gateway, admin, auditEvents, { filter: { from: startedAt } });
    const id = mine.auditEvents.edges[0].node.id;
    expect((await graphqlOk(gateway, other.token, `query($id: ID!) { node(id: $id) { id } }`, { id })).node).toBeNull();
  });

  it("needs audit:read, also through node(id)", async () => {
    const everythingElse = await tokenFor(gateway, adminClient, {
      scope: "users:read users:write users:roles roles:read roles:write applications:read resources:read",
    });
    expectAccessDenied(await graphql(gateway, everythingElse, auditEvents, {}));
    const mine = await graphqlOk(gateway, admin, auditEvents, { first: 1 });
    const id = mine.auditEvents.edges[0].node.id;
    const viaNode = await graphql(gateway, everythingElse, `query($id: ID!) { node(id: $id) { id ... on AuditEvent { changes } } }`, { id });
    expect(viaNode.data?.node ?? null).toBeNull();
    const auditor = await tokenFor(gateway, adminClient, { scope: "audit:read" });
    expect((await graphqlOk(gateway, auditor, `query($id: ID!) { node(id: $id) { id } }`, { id })).node).toEqual({ id });
  });

  it("rejects an overlong action filter", async () => {
    const result = await graphql(gateway, admin, auditEvents, { filter: { action: "x".repeat(201) } });
    expect(result.status).toBe(400);
  });
});
