// The HTTP side of passkeys, mounted under /auth/passkeys (default realm) and
// /oauth2/{realm}/auth/passkeys. Bodies are JSON; answers are JSON with Cache-Control: no-store,
// errors `{error, error_description}` as at the token endpoint.
import type { Principal } from "../../graphql/principal.js";
import { InsufficientUserAuthenticationError, InvalidTokenError, OAuthError } from "../auth-errors.js";
import type { AttemptOrigin, SignInDeps } from "../sign-in.js";
import { authenticationOptions, verifyAuthentication } from "./authentication.js";
import { authenticateOptionsBody, authenticateVerifyBody, readBody, registerOptionsBody, registerVerifyBody } from "./passkey-request.js";
import { registeringUser, registrationOptions, verifyRegistration } from "./registration.js";
import { relyingPartyFor } from "./relying-party.js";

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

export type PasskeyCall = { origin: AttemptOrigin; requestId: string | null };
export type PasskeyEndpoint = (realmId: string, request: Request, call: PasskeyCall) => Promise<Response>;

export function passkeyEndpoints(
  deps: SignInDeps & { authenticate: (authorization: string | null) => Promise<Principal | null> },
): Record<"register/options" | "register/verify" | "authenticate/options" | "authenticate/verify", PasskeyEndpoint> {
  const all = { ...deps, rp: relyingPartyFor(deps.settings.publicUrl) };
  const signedInUser = async (realmId: string, request: Request) =>
    registeringUser(deps.prisma, realmId, await deps.authenticate(request.headers.get("authorization")));

  return {
    "register/options": (realmId, request) =>
      answer(async () => {
        const user = await signedInUser(realmId, request);
        await readBody(request, registerOptionsBody);
        return Response.json(await registrationOptions(all, user), { headers: noStore });
      }),
    "register/verify": (realmId, request, call) =>
      answer(async () => {
        const user = await signedInUser(realmId, request);
        const body = await readBody(request, registerVerifyBody);
        const passkey = await verifyRegistration(all, user, { ...body, requestId: call.requestId });
        return Response.json(passkey, { status: 201, headers: noStore });
      }),
    "authenticate/options": (realmId, request) =>
      answer(async () => {
        const body = await readBody(request, authenticateOptionsBody);
        return Response.json(await authenticationOptions(all, realmId, { clientId: body.client_id, username: body.username }), {
          headers: noStore,
        });
      }),
    "authenticate/verify": (realmId, request, call) =>
      answer(async () => {
        const body = await readBody(request, authenticateVerifyBody);
        const tokens = await verifyAuthentication(
          all,
          realmId,
          {
            client: { clientId: body.client_id, clientSecret: body.client_secret ?? null },
            ceremony: body.ceremony,
            response: body.response,
            scope: body.scope,
            audience: body.audience,
          },
          call.origin,
        );
        return Response.json(tokens, { headers: noStore });
      }),
  };
}

async function answer(serve: () => Promise<Response>): Promise<Response> {
  try {
    return await serve();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const headers: Record<string, string> = { ...noStore };
    // RFC 6750 §3: a missing bearer token gets a bare challenge, a bad one names the error.
    if (error.code === "invalid_token") {
      headers["www-authenticate"] = error instanceof InvalidTokenError ? 'Bearer realm="usergate", error="invalid_token"' : 'Bearer realm="usergate"';
    }
    // RFC 9470 §3: the challenge names how recent the sign-in must be.
    if (error instanceof InsufficientUserAuthenticationError) {
      headers["www-authenticate"] = `Bearer realm="usergate", error="${error.code}", max_age=${error.maxAgeSeconds}`;
    }
    return Response.json({ error: error.code, error_description: error.description }, { status: error.status, headers });
  }
}
