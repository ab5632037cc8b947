// Issuer and audience names. The default realm keeps the Auth0-style root issuer
// (`{PUBLIC_URL}/`); every other realm is addressed under `/oauth2/{realmId}` (seed 003).
import { managementIndicator } from "../services/management-api.js";

export type IssuerSettings = { publicUrl: string; defaultRealmId: string };

export function issuerFor(settings: IssuerSettings, realmId: string): string {
  return realmId === settings.defaultRealmId ? `${settings.publicUrl}/` : `${settings.publicUrl}/oauth2/${realmId}`;
}

/** The Auth0-style audience of seed 000, accepted as a name of the management API. */
export function managementApiAlias(settings: IssuerSettings): string {
  return `${settings.publicUrl}/api/v2/`;
}

/** Audiences a management API token may carry. */
export function managementAudiences(settings: IssuerSettings): string[] {
  return [managementIndicator, managementApiAlias(settings)];
}
