// Fixtures for sign-in tests: a first-party application and users with passwords.
import { newId } from "../../src/db/ids.js";
import type { UserStatus } from "../../src/generated/prisma/client.js";
import { hashPassword } from "../../src/services/passwords.js";
import { graphqlOk, requestToken, tokenFor, type ClientCredentials } from "./api-client.js";
import type { TestGateway } from "./gateway.js";

export async function createFirstPartyApp(gateway: TestGateway, type: "web" | "spa" = "web"): Promise<{ clientId: string; clientSecret: string | null }> {
  const data = await graphqlOk(
    gateway,
    await tokenFor(gateway),
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    { input: { name: `${type} app`, type } },
  );
  return { clientId: data.createApplication.application.clientId, clientSecret: data.createApplication.clientSecret };
}

export async function createUserWithPassword(
  gateway: TestGateway,
  input: { email: string; password: string; status?: UserStatus; name?: string; passwordExpired?: boolean; passwordTemporary?: boolean },
) {
  return gateway.database.prisma.user.create({
    data: {
      id: newId("user"),
      realmId: gateway.defaultRealmId,
      email: input.email,
      name: input.name ?? null,
      status: input.status ?? "invited",
      passwordHash: await hashPassword(input.password),
      passwordExpired: input.passwordExpired ?? false,
      passwordTemporary: input.passwordTemporary ?? false,
    },
  });
}

export function passwordSignIn(
  gateway: TestGateway,
  client: { clientId: string; clientSecret: string | null },
  credentials: { username: string; password: string; scope?: string; audience?: string },
) {
  return requestToken(gateway, {
    grant_type: "password",
    client_id: client.clientId,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    username: credentials.username,
    password: credentials.password,
    ...(credentials.scope ? { scope: credentials.scope } : {}),
    ...(credentials.audience ? { audience: credentials.audience } : {}),
  });
}

export function refresh(gateway: TestGateway, client: ClientCredentials | { clientId: string; clientSecret: string | null }, refreshToken: string) {
  return requestToken(gateway, {
    grant_type: "refresh_token",
    client_id: client.clientId,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    refresh_token: refreshToken,
  });
}
