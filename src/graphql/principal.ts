/** Who is calling: resolved from the bearer token before any resolver runs. */
export type Principal = {
  kind: "application" | "user" | "management_key";
  /** The application id, user id or management key id. */
  subject: string;
  clientId: string | null;
  realmId: string;
  /** Principals of the admin realm may manage realms. */
  realmIsAdmin: boolean;
  scopes: ReadonlySet<string>;
  /** The session of a user token, checked against revocation. */
  sessionId: string | null;
  /** When the user of a user token signed in (epoch seconds); null when the token does not say. */
  authTime: number | null;
  /** The application's token generation an application token names, checked against revocation. */
  tokenGeneration: number | null;
};
