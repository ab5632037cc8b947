// OpenID Connect standard claims of a user (OIDC Core §5.1, §5.4), by the scope that releases them.
type ProfileSource = {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  nickname: string | null;
  username: string | null;
  picture: string | null;
  phone: string | null;
  phoneVerified: boolean;
  updatedAt: Date;
};

export function profileClaims(user: ProfileSource, scopes: ReadonlySet<string>): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.has("profile")) {
    Object.assign(claims, {
      name: user.name ?? undefined,
      given_name: user.givenName ?? undefined,
      family_name: user.familyName ?? undefined,
      middle_name: user.middleName ?? undefined,
      nickname: user.nickname ?? undefined,
      preferred_username: user.username ?? undefined,
      picture: user.picture ?? undefined,
      updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    });
  }
  if (scopes.has("email") && user.email) Object.assign(claims, { email: user.email, email_verified: user.emailVerified });
  if (scopes.has("phone") && user.phone) Object.assign(claims, { phone_number: user.phone, phone_number_verified: user.phoneVerified });
  return JSON.parse(JSON.stringify(claims));
}
