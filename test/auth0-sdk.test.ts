// The official `auth0` Node SDK (v7 ManagementClient), unchanged, against a listening gateway:
// it gets its token at /oauth/token with client credentials and then creates, lists (with
// totals and page by page), gets, updates and deletes users, and assigns, lists and removes roles.
//
// The SDK builds every URL as https://{domain}/…; the only adaptation is the `fetch` option (a
// documented SDK option), which sends those requests to the test origin over plain http.
import { ManagementClient } from "auth0";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, tokenFor } from "./support/api-client.js";
import { adminClient, freePort, startTestGateway, type TestGateway } from "./support/gateway.js";

let gateway: TestGateway;
let baseUrl: string;
let management: ManagementClient;
let editor: string;
let viewer: string;
const requested: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  gateway = await startTestGateway({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  baseUrl = await gateway.listen(port);
  const httpsOrigin = `https://127.0.0.1:${port}`;
  const plainHttp: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    requested.push(`${init?.method ?? "GET"} ${url}`);
    return fetch(url.startsWith(httpsOrigin) ? baseUrl + url.slice(httpsOrigin.length) : url, init);
  };
  management = new ManagementClient({
    domain: `127.0.0.1:${port}`,
    clientId: adminClient.clientId,
    clientSecret: adminClient.clientSecret,
    audience: `${baseUrl}/api/v2/`,
    fetch: plainHttp,
  });
  const adminToken = await tokenFor(gateway);
  const createRole = async (name: string, description: string) => {
    const data = await graphqlOk(gateway, adminToken, `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`, {
      input: { name, description },
    });
    return data.createRole.role.id as string;
  };
  editor = await createRole("editor", "Content Editor Role");
  viewer = await createRole("user", "Standard User Role");
});
afterAll(() => gateway.close());

describe("auth0 ManagementClient against /api/v2", () => {
  let userId: string;

  it("creates a user as seed 000's SDK example does, with a client-credentials token", async () => {
    const user = await management.users.create({
      connection: "Username-Password-Authentication",
      email: "jane.doe@example.com",
      password: "SecurePassword123!",
      name: "Jane Doe",
      verify_email: true,
      user_metadata: { registration_source: "web" },
    });
    expect(user.user_id).toMatch(/^Username-Password-Authentication\|usr_/);
    expect(user).toMatchObject({ email: "jane.doe@example.com", name: "Jane Doe", blocked: false });
    expect(user.created_at).toEqual(expect.any(String));
    userId = user.user_id!;
    expect(requested[0]).toMatch(/^POST https:\/\/127\.0\.0\.1:\d+\/oauth\/token$/);
    expect(requested).toContain(`POST https://${new URL(baseUrl).host}/api/v2/users`);
  });

  it("answers a taken email with the SDK's ConflictError carrying the seed's body", async () => {
    const attempt = management.users.create({ connection: "Username-Password-Authentication", email: "JANE.DOE@example.com" });
    await expect(attempt).rejects.toMatchObject({ statusCode: 409, body: { statusCode: 409, errorCode: "user_exists" } });
  });

  it("lists with totals, searches with q, and pages through every user", async () => {
    for (let n = 0; n < 4; n++) await management.users.create({ connection: "usergate", email: `extra${n}@example.com` });
    const page = await management.users.list({ include_totals: true, per_page: 2, q: 'email:"jane.doe@example.com"' });
    expect(page.data.map((user) => user.user_id)).toEqual([userId]);
    expect(page.response).toMatchObject({ start: 0, limit: 2, length: 1, total: 1 });
    const all = await management.users.list({ per_page: 2, include_totals: true, sort: "email:1" });
    expect(all.response).toMatchObject({ total: 5, length: 2 });
    const emails: string[] = [];
    for await (const user of all) emails.push(user.email!);
    expect(emails).toEqual(["extra0@example.com", "extra1@example.com", "extra2@example.com", "extra3@example.com", "jane.doe@example.com"]);
    const byEmail = await management.users.listUsersByEmail({ email: "Jane.Doe@example.com" });
    expect(byEmail.map((user) => user.user_id)).toEqual([userId]);
  });

  it("gets a user by user_id, with field selection", async () => {
    const user = await management.users.get(userId);
    expect(user).toMatchObject({ user_id: userId, email: "jane.doe@example.com", user_metadata: { registration_source: "web" } });
    const picked = await management.users.get(userId, { fields: "email,name", include_fields: true });
    expect(picked).toEqual({ email: "jane.doe@example.com", name: "Jane Doe" });
  });

  it("updates a user, merging user_metadata as Auth0 does", async () => {
    const updated = await management.users.update(userId, {
      name: "Jane Smith",
      user_metadata: { onboarding_completed: false },
      app_metadata: { plan: "pro" },
      blocked: true,
    });
    expect(updated).toMatchObject({
      user_id: userId,
      name: "Jane Smith",
      blocked: true,
      user_metadata: { registration_source: "web", onboarding_completed: false },
      app_metadata: { plan: "pro" },
    });
  });

  it("assigns, lists and removes roles", async () => {
    await management.users.roles.assign(userId, { roles: [editor, viewer] });
    const roles = await management.users.roles.list(userId);
    expect(roles.data.map((role) => role.name).sort()).toEqual(["editor", "user"]);
    expect(roles.response).toMatchObject({ total: 2 });
    const holders = await management.roles.users.list(editor);
    expect(holders.data.map((user) => user.user_id)).toEqual([userId]);
    const role = await management.roles.get(editor);
    expect(role).toEqual({ id: editor, name: "editor", description: "Content Editor Role" });
    const allRoles = await management.roles.list({ name_filter: "edit" });
    expect(allRoles.data.map((each) => each.id)).toEqual([editor]);
    await management.users.roles.delete(userId, { roles: [editor] });
    const remaining = await management.users.roles.list(userId);
    expect(remaining.data.map((each) => each.name)).toEqual(["user"]);
  });

  it("deletes a user; reading it afterwards is the SDK's NotFoundError", async () => {
    await management.users.delete(userId);
    await expect(management.users.get(userId)).rejects.toMatchObject({ statusCode: 404, body: { errorCode: "inexistent_user" } });
  });
});
