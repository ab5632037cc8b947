// POST /auth/password/change: the way out of an expired password, which cannot sign in to get
// a token. The old password authenticates the request (with the sign-in lockout applied), the
// new one must pass the policy, and every session of the user ends.
import { hashPassword, passwordPolicyViolation } from "../services/passwords.js";
import { revokeUserSessions } from "../services/sessions.js";
import { recordAudit } from "../services/audit.js";
import { OAuthError } from "./auth-errors.js";
import { authenticateClient, requireGrant } from "./client-authentication.js";
import { checkPassword, SignInLockedError } from "./password-grant.js";
import type { AttemptOrigin, SignInDeps } from "./sign-in.js";
import type { ThrottleSettings } from "./sign-in-throttle.js";
import { readTokenRequest } from "./token-request.js";

export async function passwordChangeEndpoint(
  deps: SignInDeps & { throttle: ThrottleSettings },
  realmId: string,
  request: Request,
  origin: AttemptOrigin,
): Promise<Response> {
  try {
    const { params, client: credentials } = await readTokenRequest(request);
    const client = await authenticateClient(deps.read, realmId, credentials);
    requireGrant(client, "password");
    const username = params.get("username");
    const password = params.get("password");
    const newPassword = params.get("new_password");
    if (!username || password === undefined || newPassword === undefined) {
      throw new OAuthError("invalid_request", "username, password and new_password are required");
    }
    const { user } = await checkPassword(deps, { realmId, applicationId: client.id, username, password, origin });
    if (user.status === "suspended" || user.status === "inactive") throw new OAuthError("access_denied", "The user may not sign in", 403);
    const violation = passwordPolicyViolation(newPassword, user, "new_password");
    if (violation) throw new OAuthError("invalid_request", violation.message);
    if (newPassword === password) throw new OAuthError("invalid_request", "The new password must differ from the current one");
    const passwordHash = await hashPassword(newPassword);
    await deps.prisma.$transaction(async (tx) => {
      await tx.user.update({
        where: { id: user.id },
        data: { passwordHash, passwordExpired: false, passwordTemporary: false, passwordChangedAt: new Date() },
      });
      await revokeUserSessions(tx, user.id);
      await recordAudit(tx, { type: "user", id: user.id, realmId, requestId: null }, {
        action: "user.password.change",
        targetType: "User",
        targetId: user.id,
        changes: { password: { before: null, after: null } },
      });
    });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (error instanceof SignInLockedError) headers["retry-after"] = String(error.retryAfterSeconds);
    return Response.json({ error: error.code, error_description: error.description }, { status: error.status, headers });
  }
}
