// The WebAuthn relying party is the gateway itself: its RP ID is the host name of PUBLIC_URL and
// the only origin a ceremony may run on is PUBLIC_URL's origin (a hosted sign-in page).
export type RelyingParty = {
  name: string;
  /** RP ID: the host name credentials are scoped to. */
  id: string;
  /** The origin browsers report in clientDataJSON. */
  origin: string;
};

export function relyingPartyFor(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { name: "usergate", id: url.hostname, origin: url.origin };
}
