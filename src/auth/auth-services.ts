// The access layer of one gateway process: keys, token endpoint, discovery and the
// authenticator that resolves each request's principal.
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { ApplicationRevocation } from "./application-revocation.js";
import { createAuthenticator } from "./authenticate.js";
import { authorizationServerMetadata } from "./discovery.js";
import type { IssuerSettings } from "./issuers.js";
import { PrivateKeyCipher } from "./private-key-encryption.js";
import { KeyStore, type KeyMaking } from "./signing-keys.js";
import { passwordChangeEndpoint } from "./password-change-endpoint.js";
import { passkeyEndpoints } from "./passkeys/passkey-endpoints.js";
import { SessionRevocation } from "./session-revocation.js";
import type { AttemptOrigin } from "./sign-in.js";
import { tokenEndpoint } from "./token-endpoint.js";
import { tokeninfoEndpoint } from "./tokeninfo-endpoint.js";
import { userinfoEndpoint } from "./userinfo-endpoint.js";

export type AuthServices = ReturnType<typeof createAuthServices>;

export function createAuthServices(
  database: Pick<Database, "prisma" | "read">,
  settings: IssuerSettings,
  config: Pick<Config, "signingAlg" | "signIn" | "keyEncryption">,
) {
  const { prisma, read } = database;
  const alg = config.signingAlg;
  const keyMaking: KeyMaking = { alg, cipher: new PrivateKeyCipher(config.keyEncryption) };
  const keys = new KeyStore(prisma, keyMaking);
  const sessions = new SessionRevocation(prisma);
  const tokenDeps = {
    prisma,
    read,
    keys,
    settings,
    sessionLifetimeSeconds: config.signIn.sessionLifetimeSeconds,
    throttle: config.signIn,
  };
  const authenticate = createAuthenticator({ prisma, keys, settings, sessions, applications: new ApplicationRevocation(prisma) });
  return {
    settings,
    signingAlg: alg,
    /** How this process makes new signing keys (rotation). */
    keyMaking,
    keys,
    sessions,
    authenticate,
    token: (realmId: string, request: Request, origin: AttemptOrigin) => tokenEndpoint(tokenDeps, realmId, request, origin),
    changePassword: (realmId: string, request: Request, origin: AttemptOrigin) =>
      passwordChangeEndpoint(tokenDeps, realmId, request, origin),
    metadata: (realmId: string) => authorizationServerMetadata(settings, realmId, alg),
    userinfo: (request: Request) => userinfoEndpoint({ prisma, keys, settings, sessions }, request),
    tokeninfo: (request: Request) => tokeninfoEndpoint({ prisma, keys, settings }, request),
    /** WebAuthn registration and sign-in, keyed by their path under /auth/passkeys/. */
    passkeys: passkeyEndpoints({ ...tokenDeps, authenticate }),
    /** Whether the realm exists: per-realm endpoints answer 404 for unknown ones. */
    realmExists: async (realmId: string) => (await read(`SELECT 1 FROM "Realm" WHERE id = $1`, [realmId])).length > 0,
  };
}
