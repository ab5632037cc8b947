// Passkeys through HTTP: User.passkeys and deleteUserPasskeys (some or all).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied, insertAdministratorUser, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
});
afterAll(() => gateway.close());

let credential = 0;
async function insertPasskey(user: { id: string; realmId: string }, name: string) {
  credential += 1;
  return gateway.database.prisma.passkey.create({
    data: {
      id: newId("passkey"),
      realmId: user.realmId,
      userId: user.id,
      credentialId: Buffer.from(`credential-${credential}`).toString("base64url"),
      publicKey: new Uint8Array([1, 2, 3, 4]),
      transports: ["internal", "hybrid"],
      name,
      createdAt: new Date(Date.now() - (100 - credential) * 1000),
    },
  });
}

const passkeysQuery = `query($id: ID!) { user(id: $id) { passkeys { id name credentialId transports createdAt lastUsedAt } } }`;
const deletePasskeys = `mutation($input: DeleteUserPasskeysInput!) { deleteUserPasskeys(input: $input) {
  __typename
  ... on DeleteUserPasskeysPayload { deletedIds user { passkeys { name } } }
  ... on NotFoundError { entity id }
  ... on ValidationError { field }
} }`;

describe("User.passkeys", () => {
  it("lists the user's passkeys oldest first, without their public keys", async () => {
    const user = await insertUser(gateway);
    const laptop = await insertPasskey(user, "laptop");
    await insertPasskey(user, "phone");
    const result = await graphqlOk(gateway, admin, passkeysQuery, { id: user.id });
    expect(result.user.passkeys.map((passkey: any) => passkey.name)).toEqual(["laptop", "phone"]);
    expect(result.user.passkeys[0]).toEqual({
      id: laptop.id,
      name: "laptop",
      credentialId: laptop.credentialId,
      transports: ["internal", "hybrid"],
      createdAt: laptop.createdAt.toISOString(),
      lastUsedAt: null,
    });
    const node = await graphqlOk(gateway, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Passkey { name } } }`, { ids: [laptop.id] });
    expect(node.nodes).toEqual([{ name: "laptop" }]);
    expect((await graphqlOk(gateway, other.token, `query($id: ID!) { node(id: $id) { id } }`, { id: laptop.id })).node).toBeNull();
    const introspection = await graphqlOk(gateway, admin, `{ __type(name: "Passkey") { fields { name } } }`);
    expect(introspection.__type.fields.map((field: any) => field.name)).not.toContain("publicKey");
  });

  it("needs users:read", async () => {
    const user = await insertUser(gateway);
    const appsReader = await tokenFor(gateway, adminClient, { scope: "applications:read" });
    expectAccessDenied(await graphql(gateway, appsReader, passkeysQuery, { id: user.id }));
  });
});

describe("deleteUserPasskeys", () => {
  it("deletes the given passkeys, then all that are left, and records both", async () => {
    const user = await insertUser(gateway);
    const [a, b, c] = [await insertPasskey(user, "a"), await insertPasskey(user, "b"), await insertPasskey(user, "c")];
    const someone = await insertUser(gateway);
    const theirs = await insertPasskey(someone, "theirs");
    const some = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id, passkeyIds: [b.id] } });
    expect(some.deleteUserPasskeys).toEqual({ __typename: "DeleteUserPasskeysPayload", deletedIds: [b.id], user: { passkeys: [{ name: "a" }, { name: "c" }] } });
    const all = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id } });
    expect(all.deleteUserPasskeys.deletedIds).toEqual([a.id, c.id].sort());
    expect(all.deleteUserPasskeys.user.passkeys).toEqual([]);
    expect(await gateway.database.prisma.passkey.count({ where: { id: theirs.id } })).toBe(1);
    const events = await gateway.database.prisma.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.action, event.changes])).toEqual([
      ["user.passkeys.delete", { passkeys: { before: [b.id], after: null } }],
      ["user.passkeys.delete", { passkeys: { before: [a.id, c.id].sort(), after: null } }],
    ]);
    const none = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id } });
    expect(none.deleteUserPasskeys.deletedIds).toEqual([]);
  });

  it("treats another user's passkey, unknown ids and foreign users as not found, deleting nothing", async () => {
    const user = await insertUser(gateway);
    const mine = await insertPasskey(user, "mine");
    const someone = await insertUser(gateway);
    const theirs = await insertPasskey(someone, "theirs");
    const foreignUser = await insertUser(gateway, { realmId: other.realmId });
    const foreign = await insertPasskey(foreignUser, "foreign");
    const before = await auditEventCount(gateway);
    const mixed = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id, passkeyIds: [mine.id, theirs.id] } });
    expect(mixed.deleteUserPasskeys).toEqual({ __typename: "NotFoundError", entity: "Passkey", id: theirs.id });
    const unknown = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id, passkeyIds: ["pky_nothing"] } });
    expect(unknown.deleteUserPasskeys.__typename).toBe("NotFoundError");
    const otherRealm = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: foreignUser.id } });
    expect(otherRealm.deleteUserPasskeys).toEqual({ __typename: "NotFoundError", entity: "User", id: foreignUser.id });
    const tooMany = await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: user.id, passkeyIds: Array.from({ length: 101 }, (_, i) => `pky_${i}`) } });
    expect(tooMany.deleteUserPasskeys).toEqual({ __typename: "ValidationError", field: "input.passkeyIds" });
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
    expectAccessDenied(await graphql(gateway, reader, deletePasskeys, { input: { userId: user.id } }));
    expect(await gateway.database.prisma.passkey.count({ where: { id: { in: [mine.id, theirs.id, foreign.id] } } })).toBe(3);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("an administrator's passkeys (target ceiling)", () => {
  // Deleting them takes away the administrator's way in (and clears the way for an attacker's).
  it("cannot be deleted by a users:write token, which still deletes a plain user's", async () => {
    const limited = await tokenFor(gateway, adminClient, { scope: "users:read users:write" });
    const [chief, plain] = [await insertAdministratorUser(gateway), await insertUser(gateway)];
    const chiefKey = await insertPasskey(chief, "chief key");
    const plainKey = await insertPasskey(plain, "plain key");
    const before = await auditEventCount(gateway);

    expectAccessDenied(await graphql(gateway, limited, deletePasskeys, { input: { userId: chief.id } }));
    expectAccessDenied(await graphql(gateway, limited, deletePasskeys, { input: { userId: chief.id, passkeyIds: [chiefKey.id] } }));
    expect(await gateway.database.prisma.passkey.count({ where: { userId: chief.id } })).toBe(1);
    expect(await auditEventCount(gateway)).toBe(before);

    const deleted = await graphqlOk(gateway, limited, deletePasskeys, { input: { userId: plain.id } });
    expect(deleted.deleteUserPasskeys).toMatchObject({ __typename: "DeleteUserPasskeysPayload", deletedIds: [plainKey.id] });
    expect((await graphqlOk(gateway, admin, deletePasskeys, { input: { userId: chief.id } })).deleteUserPasskeys.deletedIds).toEqual([chiefKey.id]);
  });
});
