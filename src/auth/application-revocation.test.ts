// An application's access tokens must stop working within 5 s of the application's deletion,
// secret rotation or role removal, on a process that had just accepted them; other applications'
// tokens keep working. Only Date is faked, and frozen from the tokens' first use: the bound is
// measured on the faked clock alone, without waiting and whatever the machine's load.
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { PrivateKeyCipher } from "./private-key-encryption.js";
import { KeyStore } from "./signing-keys.js";

/** What the gateway promises: no longer than this after the change. */
const promisedBoundMs = 5_000;

let gateway: TestGateway;
let adminToken: string;
let readerRoleId: string;

type M2mApp = { id: string; clientId: string; clientSecret: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  const resources = await graphqlOk(gateway, adminToken, `{ resources(first: 10) { edges { node { isManagement scopes { id name } } } } }`);
  const management = resources.resources.edges.find((edge: any) => edge.node.isManagement).node;
  const usersRead = management.scopes.find((scope: any) => scope.name === "users:read");
  const role = await graphqlOk(gateway, adminToken, `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`, {
    input: { name: "user reader", scopeIds: [usersRead.id] },
  });
  readerRoleId = role.createRole.role.id;
});
afterAll(() => gateway.close());
afterEach(() => vi.useRealTimers());

async function newReaderApp(): Promise<M2mApp> {
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { ... on ApplicationSecretPayload { application { id clientId } clientSecret } } }`,
    { input: { name: `reader ${Math.random().toString(36).slice(2, 8)}`, type: "m2m", roleIds: [readerRoleId] } },
  );
  const { application, clientSecret } = created.createApplication;
  return { id: application.id, clientId: application.clientId, clientSecret };
}

const readUsers = async (token: string) => (await graphql(gateway, token, "{ users(first: 1) { totalCount } }")).status;

const freezeClock = () => vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });

/** Moves the frozen clock on in half seconds until every token is refused; how long each took (Infinity: never within the limit). */
async function msUntilRefused(tokens: string[], limitMs = 2 * promisedBoundMs): Promise<number[]> {
  const start = Date.now();
  const refusedAfter = tokens.map(() => Infinity);
  for (let elapsed = 0; elapsed <= limitMs; elapsed += 500) {
    vi.setSystemTime(start + elapsed);
    for (const [index, token] of tokens.entries()) {
      if (refusedAfter[index] === Infinity && (await readUsers(token)) === 401) refusedAfter[index] = elapsed;
    }
    if (refusedAfter.every((ms) => ms !== Infinity)) break;
  }
  return refusedAfter;
}

const mutation = (name: string, inputType: string, selection = "__typename") =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} ... on Error { message } } }`;

describe("revoking an application's access tokens", () => {
  it("refuses the old token within 5 s of deletion, secret rotation or role removal; other tokens keep working", async () => {
    const [deleted, rotated, demoted, untouched] = [await newReaderApp(), await newReaderApp(), await newReaderApp(), await newReaderApp()];
    const tokens = await Promise.all([deleted, rotated, demoted, untouched].map((app) => tokenFor(gateway, app)));
    freezeClock();
    // This process has accepted every token: a cached verdict is what the attack relies on.
    for (const token of tokens) expect(await readUsers(token)).toBe(200);

    await graphqlOk(gateway, adminToken, mutation("deleteApplication", "ApplicationIdInput"), { input: { id: deleted.id } });
    await graphqlOk(gateway, adminToken, mutation("rotateApplicationSecret", "ApplicationIdInput"), { input: { id: rotated.id } });
    await graphqlOk(gateway, adminToken, mutation("removeRolesFromApplication", "ApplicationRolesInput"), {
      input: { applicationId: demoted.id, roleIds: [readerRoleId] },
    });

    const [afterDeletion, afterRotation, afterRoleRemoval] = await msUntilRefused(tokens.slice(0, 3));
    for (const [change, ms] of Object.entries({ afterDeletion, afterRotation, afterRoleRemoval })) {
      expect(ms, `ms until refused ${change}`).toBeLessThanOrEqual(promisedBoundMs);
    }
    const refused = await graphql(gateway, tokens[1]!, "{ users(first: 1) { totalCount } }");
    expect(refused.errors?.[0]?.message).toMatch(/credentials have changed/);
    expect(await readUsers(tokens[3]!)).toBe(200);
  });

  it("accepts the first token under a rotated secret at once, while the old generation is still cached", async () => {
    const app = await newReaderApp();
    const old = await tokenFor(gateway, app);
    freezeClock();
    expect(await readUsers(old)).toBe(200);
    const rotation = await graphqlOk(gateway, adminToken, mutation("rotateApplicationSecret", "ApplicationIdInput", "... on ApplicationSecretPayload { clientSecret }"), {
      input: { id: app.id },
    });
    const renewed = await tokenFor(gateway, { clientId: app.clientId, clientSecret: rotation.rotateApplicationSecret.clientSecret });
    expect(await readUsers(renewed)).toBe(200);
    expect(await readUsers(old)).toBe(401);
  });

  it("counts a token without a generation (issued before the upgrade) as generation 0", async () => {
    const app = await newReaderApp();
    const { gen: _gen, ...claims } = decodeJwt(await tokenFor(gateway, app));
    const keys = new KeyStore(gateway.database.prisma, { alg: gateway.config.signingAlg, cipher: new PrivateKeyCipher(gateway.config.keyEncryption) });
    const legacy = await keys.sign(gateway.defaultRealmId, "at+jwt", claims);
    freezeClock();
    expect(await readUsers(legacy)).toBe(200);

    await graphqlOk(gateway, adminToken, mutation("rotateApplicationSecret", "ApplicationIdInput"), { input: { id: app.id } });
    const [afterRotation] = await msUntilRefused([legacy]);
    expect(afterRotation).toBeLessThanOrEqual(promisedBoundMs);
  });
});
