// Objects as seed 003 shows them: snake_case fields, ids as the gateway's prefixed ids, times in
// RFC 3339 UTC. Secrets appear only where the seed's flow needs them once (a new client secret).
import type {
  RealmApplicationFragment,
  RealmResourceFragment,
  RealmRoleFragment,
  RealmScopeFragment,
  RealmUserFragment,
  RealmUserIdentitiesQuery,
} from "../../generated/graphql.js";

/** The seed's list row (`id, email, name, is_suspended, created_at`) and the profile fields a client can set. */
export function toRealmUser(user: RealmUserFragment) {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    username: user.username,
    phone: user.phone,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    nickname: user.nickname,
    picture: user.picture,
    is_suspended: user.status === "suspended",
    user_metadata: user.userMetadata,
    app_metadata: user.appMetadata,
    last_login_at: user.lastLoginAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

type Identity = NonNullable<RealmUserIdentitiesQuery["user"]>["identities"][number];

/** A connected provider account; the provider's tokens are never shown here. */
export function toRealmIdentity(identity: Identity) {
  return {
    id: identity.id,
    provider: identity.provider,
    provider_user_id: identity.providerUserId,
    connection: identity.connection,
    is_social: identity.isSocial,
    profile_data: identity.profileData,
    created_at: identity.createdAt,
  };
}

export function toRealmApplication(application: RealmApplicationFragment, clientSecret?: string | null) {
  return {
    id: application.id,
    name: application.name,
    description: application.description,
    type: application.type,
    client_id: application.clientId,
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    redirect_uris: application.redirectUris,
    created_at: application.createdAt,
    updated_at: application.updatedAt,
  };
}

export function toRealmRole(role: RealmRoleFragment) {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    created_at: role.createdAt,
    updated_at: role.updatedAt,
  };
}

export function toRealmResource(resource: RealmResourceFragment) {
  return {
    id: resource.id,
    name: resource.name,
    indicator: resource.indicator,
    token_lifetime: resource.tokenLifetime,
    created_at: resource.createdAt,
    updated_at: resource.updatedAt,
  };
}

export function toRealmScope(scope: RealmScopeFragment) {
  return {
    id: scope.id,
    resource_id: scope.resource.id,
    name: scope.name,
    description: scope.description,
    created_at: scope.createdAt,
    updated_at: scope.updatedAt,
  };
}
