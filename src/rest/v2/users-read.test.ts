// GET /api/v2/users, /users/{id} and /users-by-email against seed 000: paging, search, sort,
// field selection, totals, and the 400/401/403/404 answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "../../../test/support/api-client.js";
import { otherRealmToken } from "../../../test/support/user-fixtures.js";
import { encoded, expectError, iso, startV2Api, unknownId, type V2Api } from "./test-kit.js";

let api: V2Api;
const users: Array<{ id: string; userId: string }> = [];

beforeAll(async () => {
  api = await startV2Api();
  const people = [
    { email: "john.doe@example.com", name: "John Doe", givenName: "John", familyName: "Doe", appMetadata: { roles: ["editor", "user"] } },
    { email: "jane.roe@example.com", name: "Jane Roe", userMetadata: { plan: "pro" }, connection: "Username-Password-Authentication" },
    { email: "alice@example.org", name: "Alice Liddell", status: "suspended", username: "alice" },
    { email: "bob@example.org", name: "Bob Builder", phone: "+14155550123", phoneVerified: true, picture: "https://example.com/bob.png" },
  ];
  for (const person of people) users.push(await api.createUser(person));
});
afterAll(() => api.close());

describe("GET /users", () => {
  it("answers {users:[…]} in the seed's shape, without passwords", async () => {
    const response = await api.call("GET", "/users?per_page=10");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(Object.keys(response.body)).toEqual(["users"]);
    const john = response.body.users.find((user: any) => user.email === "john.doe@example.com");
    expect(john).toEqual({
      user_id: users[0]!.userId,
      email: "john.doe@example.com",
      email_verified: false,
      name: "John Doe",
      given_name: "John",
      family_name: "Doe",
      created_at: iso,
      updated_at: iso,
      logins_count: 0,
      blocked: false,
      user_metadata: {},
      app_metadata: { roles: ["editor", "user"] },
      identities: [],
    });
    for (const user of response.body.users) expect(Object.keys(user).filter((key) => /password/i.test(key))).toEqual([]);
    const jane = response.body.users.find((user: any) => user.email === "jane.roe@example.com");
    expect(jane.user_id).toBe(`Username-Password-Authentication|${users[1]!.id}`);
    const alice = response.body.users.find((user: any) => user.email === "alice@example.org");
    expect(alice).toMatchObject({ blocked: true, username: "alice" });
    const bob = response.body.users.find((user: any) => user.email === "bob@example.org");
    expect(bob).toMatchObject({ phone_number: "+14155550123", phone_verified: true, picture: "https://example.com/bob.png" });
  });

  it("pages from 0 and answers {start, limit, length, total, users} with include_totals=true", async () => {
    const first = await api.call("GET", "/users?per_page=2&page=0&include_totals=true&sort=email:1");
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ start: 0, limit: 2, length: 2, total: 4, users: expect.any(Array) });
    const second = await api.call("GET", "/users?per_page=3&page=1&include_totals=true&sort=email:1");
    expect(second.body).toMatchObject({ start: 3, limit: 3, length: 1, total: 4 });
    const rest = await api.call("GET", "/users?per_page=2&page=1&sort=email:1");
    expect(Object.keys(rest.body)).toEqual(["users"]);
    const emails = [...first.body.users, ...rest.body.users].map((user: any) => user.email);
    expect(emails).toEqual(["alice@example.org", "bob@example.org", "jane.roe@example.com", "john.doe@example.com"]);
    const beyond = await api.call("GET", "/users?per_page=2&page=9&include_totals=true");
    expect(beyond.body).toEqual({ start: 18, limit: 2, length: 0, total: 4, users: [] });
  });

  it("sorts by field:1 and field:-1", async () => {
    const ascending = await api.call("GET", "/users?sort=email:1&q=email.domain:example.org");
    expect(ascending.body.users.map((user: any) => user.email)).toEqual(["alice@example.org", "bob@example.org"]);
    const descending = await api.call("GET", "/users?sort=email:-1&q=email.domain:example.org");
    expect(descending.body.users.map((user: any) => user.email)).toEqual(["bob@example.org", "alice@example.org"]);
    const byCreation = await api.call("GET", "/users?sort=created_at:-1&per_page=1");
    expect(byCreation.body.users[0].email).toBe("bob@example.org");
  });

  it("searches with q as in the GraphQL search argument", async () => {
    const exact = await api.call("GET", `/users?q=${encodeURIComponent('email:"john.doe@example.com"')}&per_page=1`);
    expect(exact.body.users.map((user: any) => user.user_id)).toEqual([users[0]!.userId]);
    const blocked = await api.call("GET", `/users?q=${encodeURIComponent("blocked:true")}`);
    expect(blocked.body.users.map((user: any) => user.email)).toEqual(["alice@example.org"]);
    const metadata = await api.call("GET", `/users?q=${encodeURIComponent("user_metadata.plan:pro")}`);
    expect(metadata.body.users.map((user: any) => user.email)).toEqual(["jane.roe@example.com"]);
    const byConnection = await api.call("GET", `/users?connection=Username-Password-Authentication&include_totals=true`);
    expect(byConnection.body).toMatchObject({ total: 1, users: [{ email: "jane.roe@example.com" }] });
    const both = await api.call("GET", `/users?connection=Username-Password-Authentication&q=${encodeURIComponent("name:john*")}`);
    expect(both.body.users).toEqual([]);
  });

  it("includes or excludes fields with fields/include_fields", async () => {
    const only = await api.call("GET", "/users?fields=user_id,email&per_page=50");
    expect(only.body.users.every((user: any) => Object.keys(user).every((key) => ["user_id", "email"].includes(key)))).toBe(true);
    expect(only.body.users.find((user: any) => user.email === "john.doe@example.com")).toEqual({
      user_id: users[0]!.userId,
      email: "john.doe@example.com",
    });
    const without = await api.call("GET", "/users?fields=user_metadata,app_metadata,identities&include_fields=false");
    expect(without.body.users[0]).not.toHaveProperty("app_metadata");
    expect(without.body.users[0]).not.toHaveProperty("identities");
    expect(without.body.users[0]).toHaveProperty("user_id");
  });

  it.each([
    ["per_page=0", /per_page/],
    ["per_page=51", /per_page/],
    ["page=-1", /page/],
    ["page=abc", /page/],
    ["include_totals=yes", /include_totals/],
    ["sort=password:1", /sort/],
    ["sort=email:2", /sort/],
    ["fields=password", /fields/],
    ["search_engine=v9", /search_engine/],
    ["connection=a%7Cb", /connection/],
    ["colour=blue", /colour/],
    ["page=1&page=2", /page/],
  ])("answers 400 invalid_query_string for %s", async (query, message) => {
    expectError(await api.call("GET", `/users?${query}`), 400, "invalid_query_string", message);
  });

  it("answers 400 invalid_query_string for a search the compiler refuses", async () => {
    const response = await api.call("GET", `/users?q=${encodeURIComponent('email:"unterminated')}`);
    expectError(response, 400, "invalid_query_string", /search/i);
    expectError(await api.call("GET", `/users?q=${encodeURIComponent("password:x")}`), 400, "invalid_query_string", /password/);
  });

  it("answers 401 without a valid token and 403 without users:read", async () => {
    const anonymous = await api.call("GET", "/users", { token: null });
    expectError(anonymous, 401, "invalid_token");
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectError(await api.call("GET", "/users", { token: "not-a-jwt" }), 401, "invalid_token");
    expectError(await api.call("GET", "/users", { token: await api.token("roles:read") }), 403, "insufficient_scope");
  });

  it("carries the x-ratelimit headers of the usersList budget", async () => {
    const response = await api.call("GET", "/users?per_page=1");
    expect(response.headers.get("x-ratelimit-limit")).toBe("500");
    expect(Number(response.headers.get("x-ratelimit-remaining"))).toBeLessThan(500);
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
  });
});

describe("GET /users/{id}", () => {
  it("returns the user by URL-encoded user_id or bare id, with fields", async () => {
    const byUserId = await api.call("GET", `/users/${encoded(users[1]!.userId)}`);
    expect(byUserId.status).toBe(200);
    expect(byUserId.body).toMatchObject({ user_id: users[1]!.userId, email: "jane.roe@example.com", user_metadata: { plan: "pro" } });
    const bare = await api.call("GET", `/users/${users[1]!.id}?fields=name&include_fields=true`);
    expect(bare.body).toEqual({ name: "Jane Roe" });
    expect(byUserId.headers.get("x-ratelimit-limit")).toBe("500");
  });

  it("shows linked identities read-only", async () => {
    await api.graphql(
      `mutation($input: LinkUserIdentityInput!) { linkUserIdentity(input: $input) { __typename } }`,
      { input: { userId: users[3]!.id, provider: "google-oauth2", providerUserId: "1234567890", isSocial: true } },
    );
    const response = await api.call("GET", `/users/${encoded(users[3]!.userId)}`);
    expect(response.body.identities).toEqual([{ connection: "google-oauth2", user_id: "1234567890", provider: "google-oauth2", isSocial: true }]);
    expect(response.text).not.toMatch(/access_?token|refresh_?token/i);
  });

  it("answers 404 inexistent_user for an unknown id, a wrong connection or another realm's user", async () => {
    for (const id of [`usergate|${unknownId("usr")}`, `google-oauth2|${users[0]!.id}`, unknownId("usr")]) {
      expectError(await api.call("GET", `/users/${encoded(id)}`), 404, "inexistent_user");
    }
    const { token: otherToken } = await otherRealmToken(api.gateway, await tokenFor(api.gateway), "other-v2");
    expectError(await api.call("GET", `/users/${encoded(users[0]!.userId)}`, { token: otherToken }), 404, "inexistent_user");
  });

  it("answers 400 invalid_uri for an id that cannot name a user, and 400 for unknown parameters", async () => {
    for (const id of ["nobody", `usergate|${unknownId("rol")}`, "bad connection|usr_01jzzzzzzzzzzzzzzzzzzzzzzz", "usergate|"]) {
      expectError(await api.call("GET", `/users/${encoded(id)}`), 400, "invalid_uri");
    }
    expectError(await api.call("GET", `/users/${users[0]!.id}?fields=secret`), 400, "invalid_query_string", /fields/);
    expectError(await api.call("GET", `/users/${users[0]!.id}?expand=roles`), 400, "invalid_query_string", /expand/);
  });
});

describe("GET /users-by-email", () => {
  it("answers the users with that email in any letter case, as a bare array", async () => {
    const response = await api.call("GET", `/users-by-email?email=${encodeURIComponent("John.Doe@Example.com")}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([expect.objectContaining({ user_id: users[0]!.userId, email: "john.doe@example.com" })]);
    const none = await api.call("GET", `/users-by-email?email=${encodeURIComponent("nobody@example.com")}&fields=email`);
    expect(none.body).toEqual([]);
    const picked = await api.call("GET", `/users-by-email?email=alice%40example.org&fields=user_id,blocked`);
    expect(picked.body).toEqual([{ user_id: users[2]!.userId, blocked: true }]);
  });

  it("answers 400 without an email and 403 without users:read", async () => {
    expectError(await api.call("GET", "/users-by-email"), 400, "invalid_query_string", /email/);
    expectError(await api.call("GET", "/users-by-email?email=a%40b.c", { token: await api.token("roles:read") }), 403, "insufficient_scope");
  });
});

describe("unknown routes", () => {
  it("answer 404 in the profile's error body", async () => {
    expectError(await api.call("GET", "/tickets"), 404, "inexistent_route");
    expectError(await api.call("PUT", `/users/${users[0]!.id}`, { body: {} }), 404, "inexistent_route");
  });
});
