// Which scopes a failed scope-auth check lacked, read from @pothos/plugin-scope-auth's failure
// tree, so a field-level refusal can name them as the operation-level one does.
import { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";

/**
 * The token scopes that would have let the check pass, or null when no set of scopes alone would
 * (a realm mismatch, a user-only field, a principal of the wrong realm) or the choice is open
 * (several alternatives each needing scopes).
 */
export function missingScopesOf(failure: AuthFailure): string[] | null {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return failure.scope === "scope" && typeof failure.parameter === "string" ? [failure.parameter] : null;
    case AuthScopeFailureType.AllAuthScopes: {
      // Every failed part must be a scope: the plugin stops at the first failed part, so this
      // names what was found missing so far.
      const parts = failure.failures.map(missingScopesOf);
      return parts.length > 0 && parts.every((part) => part !== null) ? [...new Set(parts.flat() as string[])].sort() : null;
    }
    case AuthScopeFailureType.AnyAuthScopes: {
      const fixable = failure.failures.map(missingScopesOf).filter((part) => part !== null);
      return fixable.length === 1 ? fixable[0]! : null;
    }
    default:
      return null;
  }
}
