// The v2 profile writes fields as Auth0 does (snake_case, `phone_number`, `roles`); GraphQL names
// them by its input paths (`input.phone`, `input.roleIds.2`). Messages and errors use the former.

/** GraphQL input field → v2 body field, where the two differ. */
const v2Names: Record<string, string> = {
  emailVerified: "email_verified",
  phone: "phone_number",
  phoneVerified: "phone_verified",
  givenName: "given_name",
  familyName: "family_name",
  userMetadata: "user_metadata",
  appMetadata: "app_metadata",
  mergeUserMetadata: "user_metadata",
  mergeAppMetadata: "app_metadata",
  status: "blocked",
  roleIds: "roles",
  userId: "id",
};

/** `input.userMetadata.plan` → `user_metadata.plan`; `input.roleIds.1` → `roles.1`. */
export function v2FieldPath(path: string): string {
  const [first, ...rest] = path.replace(/^input\./, "").split(".");
  return [v2Names[first!] ?? first, ...rest].join(".");
}
