// Sessions through HTTP: User.sessions, logoutUser ("log out of all sessions"), revokeSession.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied, insertAdministratorUser, insertApplication, insertUser } from "../../../test/support/directory-rows.js";
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

const hour = 3_600_000;

/** A session of the user, `ageHours` old, with one refresh token. */
async function insertSession(
  user: { id: string; realmId: string },
  options: { ageHours?: number; expired?: boolean; revoked?: boolean; applicationId?: string } = {},
) {
  const createdAt = new Date(Date.now() - (options.ageHours ?? 1) * hour);
  const session = await gateway.database.prisma.session.create({
    data: {
      id: newId("session"),
      realmId: user.realmId,
      userId: user.id,
      applicationId: options.applicationId ?? null,
      ip: "203.0.113.7",
      userAgent: "test-agent/1.0",
      createdAt,
      lastUsedAt: createdAt,
      expiresAt: new Date(Date.now() + (options.expired ? -hour : 24 * hour)),
      revokedAt: options.revoked ? new Date(Date.now() - hour / 2) : null,
    },
  });
  await gateway.database.prisma.refreshToken.create({
    data: { id: newId("refreshToken"), sessionId: session.id, tokenHash: newId("refreshToken"), expiresAt: session.expiresAt },
  });
  return session;
}

const sessionsQuery = `query($id: ID!, $active: Boolean) { user(id: $id) { sessions(first: 10, active: $active) {
  totalCount edges { node { id active ip userAgent revokedAt expiresAt createdAt lastUsedAt application { name } } } } } }`;
const logoutUser = `mutation($id: ID!) { logoutUser(input: { userId: $id }) {
  __typename
  ... on LogoutUserPayload { revokedSessionIds user { id sessions(active: true) { totalCount } } }
  ... on NotFoundError { entity id }
} }`;
const revokeSession = `mutation($id: ID!) { revokeSession(input: { id: $id }) {
  __typename
  ... on SessionPayload { session { id active revokedAt user { id } } }
  ... on NotFoundError { entity id }
} }`;

describe("User.sessions", () => {
  it("lists the user's sessions newest first, with an active filter and totals", async () => {
    const user = await insertUser(gateway);
    const app = await insertApplication(gateway, { name: "portal" });
    const old = await insertSession(user, { ageHours: 30, expired: true });
    const revoked = await insertSession(user, { ageHours: 20, revoked: true });
    const current = await insertSession(user, { ageHours: 2, applicationId: app.id });
    await insertSession(await insertUser(gateway)); // someone else's
    const all = await graphqlOk(gateway, admin, sessionsQuery, { id: user.id });
    expect(all.user.sessions.totalCount).toBe(3);
    expect(all.user.sessions.edges.map((edge: any) => [edge.node.id, edge.node.active])).toEqual([
      [current.id, true],
      [revoked.id, false],
      [old.id, false],
    ]);
    expect(all.user.sessions.edges[0].node).toMatchObject({ ip: "203.0.113.7", userAgent: "test-agent/1.0", revokedAt: null, application: { name: "portal" } });
    const active = await graphqlOk(gateway, admin, sessionsQuery, { id: user.id, active: true });
    expect(active.user.sessions.edges.map((edge: any) => edge.node.id)).toEqual([current.id]);
    expect(active.user.sessions.totalCount).toBe(1);
    const ended = await graphqlOk(gateway, admin, sessionsQuery, { id: user.id, active: false });
    expect(ended.user.sessions.edges.map((edge: any) => edge.node.id)).toEqual([revoked.id, old.id]);
  });

  it("needs users:read, and resolves through node(id) only in its own realm", async () => {
    const user = await insertUser(gateway);
    const session = await insertSession(user);
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    expectAccessDenied(await graphql(gateway, rolesReader, sessionsQuery, { id: user.id }));
    const node = await graphqlOk(gateway, admin, `query($id: ID!) { node(id: $id) { ... on Session { id user { id } } } }`, { id: session.id });
    expect(node.node).toEqual({ id: session.id, user: { id: user.id } });
    const theirs = await graphqlOk(gateway, other.token, `query($id: ID!) { node(id: $id) { id } }`, { id: session.id });
    expect(theirs.node).toBeNull();
  });
});

describe("logoutUser", () => {
  it("revokes every active session, deletes all refresh tokens, and records it", async () => {
    const user = await insertUser(gateway);
    const a = await insertSession(user, { ageHours: 3 });
    const b = await insertSession(user, { ageHours: 1 });
    const earlier = await insertSession(user, { revoked: true });
    const otherUser = await insertUser(gateway);
    const untouched = await insertSession(otherUser);
    const result = await graphqlOk(gateway, admin, logoutUser, { id: user.id });
    expect(result.logoutUser.__typename).toBe("LogoutUserPayload");
    expect([...result.logoutUser.revokedSessionIds].sort()).toEqual([a.id, b.id].sort());
    expect(result.logoutUser.user.sessions.totalCount).toBe(0);
    const sessions = await gateway.database.prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions.every((session) => session.revokedAt !== null)).toBe(true);
    expect(sessions.find((session) => session.id === earlier.id)!.revokedAt).toEqual(earlier.revokedAt);
    expect(await gateway.database.prisma.refreshToken.count({ where: { session: { userId: user.id } } })).toBe(0);
    expect((await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: untouched.id } })).revokedAt).toBeNull();
    expect(await gateway.database.prisma.refreshToken.count({ where: { sessionId: untouched.id } })).toBe(1);
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id } });
    expect(event).toMatchObject({ action: "user.sessions.revoke_all", targetType: "User", changes: { activeSessions: { before: 2, after: 0 } } });

    const again = await graphqlOk(gateway, admin, logoutUser, { id: user.id });
    expect(again.logoutUser.revokedSessionIds).toEqual([]);
  });

  it("answers unknown and foreign users as not found, needs users:write, and changes nothing then", async () => {
    const user = await insertUser(gateway);
    const session = await insertSession(user);
    const before = await auditEventCount(gateway);
    expect((await graphqlOk(gateway, other.token, logoutUser, { id: user.id })).logoutUser).toEqual({
      __typename: "NotFoundError",
      entity: "User",
      id: user.id,
    });
    expect((await graphqlOk(gateway, admin, logoutUser, { id: "usr_nobody" })).logoutUser.__typename).toBe("NotFoundError");
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read users:roles" });
    expectAccessDenied(await graphql(gateway, reader, logoutUser, { id: user.id }));
    expect((await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
    expect(await gateway.database.prisma.refreshToken.count({ where: { sessionId: session.id } })).toBe(1);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("revokeSession", () => {
  it("ends one session and its refresh tokens, leaving the user's others alone", async () => {
    const user = await insertUser(gateway);
    const target = await insertSession(user);
    const sibling = await insertSession(user);
    const result = await graphqlOk(gateway, admin, revokeSession, { id: target.id });
    expect(result.revokeSession).toMatchObject({ __typename: "SessionPayload", session: { id: target.id, active: false, user: { id: user.id } } });
    expect(result.revokeSession.session.revokedAt).not.toBeNull();
    expect(await gateway.database.prisma.refreshToken.count({ where: { sessionId: target.id } })).toBe(0);
    expect(await gateway.database.prisma.refreshToken.count({ where: { sessionId: sibling.id } })).toBe(1);
    expect((await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: sibling.id } })).revokedAt).toBeNull();
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: "user.session.revoke" } });
    expect(Object.keys(event.changes as object)).toEqual([`sessions.${target.id}.revokedAt`]);

    // Revoking it again keeps the first revocation instant.
    const again = await graphqlOk(gateway, admin, revokeSession, { id: target.id });
    expect(again.revokeSession.session.revokedAt).toBe(result.revokeSession.session.revokedAt);
  });

  it("answers unknown and foreign sessions as not found and needs users:write", async () => {
    const user = await insertUser(gateway);
    const session = await insertSession(user);
    const before = await auditEventCount(gateway);
    expect((await graphqlOk(gateway, other.token, revokeSession, { id: session.id })).revokeSession).toEqual({
      __typename: "NotFoundError",
      entity: "Session",
      id: session.id,
    });
    expect((await graphqlOk(gateway, admin, revokeSession, { id: "ses_nothing" })).revokeSession.__typename).toBe("NotFoundError");
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
    expectAccessDenied(await graphql(gateway, reader, revokeSession, { id: session.id }));
    expect((await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("an administrator's sessions (target ceiling)", () => {
  // Logging an administrator out, again and again, locks them out of their own realm: ending
  // someone's sessions is acting on their credentials, allowed only to a caller holding all they hold.
  it("cannot be ended by a users:write token, which still ends a plain user's", async () => {
    const limited = await tokenFor(gateway, adminClient, { scope: "users:read users:write" });
    const [chief, plain] = [await insertAdministratorUser(gateway), await insertUser(gateway)];
    const [chiefSession, plainSessions] = [await insertSession(chief), [await insertSession(plain), await insertSession(plain)]];
    const before = await auditEventCount(gateway);

    expectAccessDenied(await graphql(gateway, limited, logoutUser, { id: chief.id }));
    expectAccessDenied(await graphql(gateway, limited, revokeSession, { id: chiefSession.id }));
    expect((await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: chiefSession.id } })).revokedAt).toBeNull();
    expect(await gateway.database.prisma.refreshToken.count({ where: { sessionId: chiefSession.id } })).toBe(1);
    expect(await auditEventCount(gateway)).toBe(before);

    expect((await graphqlOk(gateway, limited, revokeSession, { id: plainSessions[0]!.id })).revokeSession.__typename).toBe("SessionPayload");
    expect((await graphqlOk(gateway, limited, logoutUser, { id: plain.id })).logoutUser.revokedSessionIds).toEqual([plainSessions[1]!.id]);
    expect((await graphqlOk(gateway, admin, logoutUser, { id: chief.id })).logoutUser.revokedSessionIds).toEqual([chiefSession.id]);
  });
});
