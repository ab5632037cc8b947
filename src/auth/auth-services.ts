// The access layer of one gateway process: keys, token endpoint, discovery and the
// authenticator that resolves each request's principal.
import type { PrismaClient } from "../generated/prisma/client.js";
import { createAuthenticator } from "./authenticate.js";
import { authorizationServerMetadata } from "./discovery.js";
import type { IssuerSettings } from "./issuers.js";
import { KeyStore, type SigningAlgorithm } from "./signing-keys.js";
import { tokenEndpoint } from "./token-endpoint.js";

export type AuthServices = ReturnType<typeof createAuthServices>;

export function createAuthServices(prisma: PrismaClient, settings: IssuerSettings, alg: SigningAlgorithm) {
  const keys = new KeyStore(prisma);
  return {
    settings,
    signingAlg: alg,
    keys,
    authenticate: createAuthenticator({ prisma, keys, settings }),
    token: (realmId: string, request: Request) => tokenEndpoint({ prisma, keys, settings }, realmId, request),
    metadata: (realmId: string) => authorizationServerMetadata(settings, realmId, alg),
    /** Whether the realm exists: per-realm endpoints answer 404 for unknown ones. */
    realmExists: async (realmId: string) => (await prisma.realm.count({ where: { id: realmId } })) > 0,
  };
}
