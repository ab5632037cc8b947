// The client_credentials grant: an application gets a token for one audience carrying the
// scopes its roles grant there. Asking for a scope it does not hold is an error, never a
// silent narrowing or widening.
import type { PrismaClient } from "../generated/prisma/client.js";
import { OAuthError } from "./auth-errors.js";
import { managementApiAlias, type IssuerSettings } from "./issuers.js";
import { managementIndicator } from "./management-api.js";
import { authenticateClient, requireGrant } from "./client-authentication.js";
import type { TokenRequest } from "./token-request.js";

export type TokenGrant = {
  subject: string;
  clientId: string;
  realmId: string;
  audience: string;
  scopes: string[];
  lifetimeSeconds: number;
};


export async function clientCredentialsGrant(
  prisma: PrismaClient,
  settings: IssuerSettings,
  realmId: string,
  client: TokenRequest["client"],
  params: Map<string, string>,
): Promise<TokenGrant> {
  const application = await authenticateClient(prisma, realmId, client);
  if (application.type !== "m2m") {
    throw new OAuthError("unauthorized_client", "Only machine-to-machine applications may use the client_credentials grant");
  }
  requireGrant(application, "client_credentials");

  const requestedAudience = params.get("audience") ?? params.get("resource") ?? managementIndicator;
  const indicator = requestedAudience === managementApiAlias(settings) ? managementIndicator : requestedAudience;
  const resource = await prisma.resource.findUnique({
    where: { realmId_indicator: { realmId, indicator } },
    select: {
      id: true,
      tokenLifetime: true,
      scopes: {
        where: { roles: { some: { role: { applications: { some: { applicationId: application.id } } } } } },
        select: { name: true },
      },
    },
  });
  if (!resource) throw new OAuthError("invalid_target", `No API with the audience ${requestedAudience} exists in this realm`);

  const granted = new Set(resource.scopes.map((scope) => scope.name));
  const requested = params.get("scope");
  let scopes: string[];
  if (requested === undefined) {
    scopes = [...granted].sort();
  } else {
    scopes = [...new Set(requested.split(" ").filter(Boolean))];
    const refused = scopes.filter((scope) => !granted.has(scope));
    if (refused.length > 0) {
      throw new OAuthError("invalid_scope", `The client is not granted: ${refused.join(" ")}`);
    }
  }
  if (scopes.length === 0) throw new OAuthError("invalid_scope", "The client holds no scope of this audience");
  return {
    subject: application.clientId,
    clientId: application.clientId,
    realmId,
    audience: requestedAudience,
    scopes,
    lifetimeSeconds: resource.tokenLifetime,
  };
}
