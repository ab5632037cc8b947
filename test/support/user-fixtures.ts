// What the user mutation tests share: running a mutation and reading its typed result, tokens
// with fewer scopes or of another realm, and the rows a test checks afterwards.
import { expect } from "vitest";
import { graphqlOk, tokenFor } from "./api-client.js";
import type { TestGateway } from "./gateway.js";

/** Every User field a test may look at (there is no field that could expose the hash). */
export const userFields = `id email emailVerified phone phoneVerified username name givenName familyName middleName nickname
  picture connection status hasPassword passwordExpired passwordTemporary passwordChangedAt userMetadata appMetadata
  customAttributes createdAt updatedAt`;

// ConflictError.field is nullable, ValidationError.field is not: one selection needs an alias.
const errorFields = `... on Error { message code } ... on ValidationError { field } ... on ConflictError { conflictField: field }
  ... on NotFoundError { entity id }`;

/**
 * Runs `mutation($input: <InputType>!) { <name>(input: $input) { … } }` and returns its result:
 * the payload or the typed error, with `__typename`. Fails the test on a top-level error.
 */
export async function mutate(
  gateway: TestGateway,
  token: string,
  name: string,
  input: unknown,
  selection = `... on UserPayload { user { ${userFields} } }`,
): Promise<any> {
  const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const data = await graphqlOk(gateway, token, `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename ${selection} ${errorFields} } }`, {
    input,
  });
  const { conflictField, ...result } = data[name];
  return conflictField === undefined ? result : { ...result, field: conflictField };
}

/** The user of a successful UserPayload mutation; fails the test with the error otherwise. */
export async function mutateUser(gateway: TestGateway, token: string, name: string, input: unknown): Promise<any> {
  const result = await mutate(gateway, token, name, input);
  expect(result.__typename, JSON.stringify(result)).toBe("UserPayload");
  return result.user;
}

/** A token of an m2m application whose only role grants exactly these management scopes. */
export async function tokenWithScopes(gateway: TestGateway, adminToken: string, scopes: string[]): Promise<string> {
  const resources = await graphqlOk(gateway, adminToken, `{ resources(first: 10) { edges { node { isManagement scopes { id name } } } } }`);
  const management = resources.resources.edges.find((edge: any) => edge.node.isManagement).node;
  const scopeIds = management.scopes.filter((scope: any) => scopes.includes(scope.name)).map((scope: any) => scope.id);
  expect(scopeIds).toHaveLength(scopes.length);
  const label = `${scopes.join(" ")} ${Math.random().toString(36).slice(2, 8)}`;
  const role = await graphqlOk(gateway, adminToken, `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`, {
    input: { name: label, scopeIds },
  });
  const app = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    { input: { name: label, type: "m2m", roleIds: [role.createRole.role.id] } },
  );
  return tokenFor(gateway, { clientId: app.createApplication.application.clientId, clientSecret: app.createApplication.clientSecret });
}

/** A new realm and an admin token of it. */
export async function otherRealmToken(gateway: TestGateway, adminToken: string, name: string): Promise<{ realmId: string; token: string }> {
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($name: String!) { createRealm(input: { name: $name }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
    { name },
  );
  const realmId = created.createRealm.realm.id;
  const token = await tokenFor(
    gateway,
    { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret },
    { realmId },
  );
  return { realmId, token };
}

/** Audit events about one object, oldest first. */
export function auditEventsFor(gateway: TestGateway, targetId: string) {
  return gateway.database.prisma.auditEvent.findMany({ where: { targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** The stored row, with the columns no API returns. */
export function storedUser(gateway: TestGateway, id: string) {
  return gateway.database.prisma.user.findUnique({ where: { id } });
}

let sequence = 0;
/** A fresh, valid email address for this test file. */
export const uniqueEmail = (stem = "user") => `${stem}.${++sequence}.${Date.now().toString(36)}@example.test`;
