import { FULL_ACCESS, mayHoldFullAccess, type ClientType } from "../clients/policy";
import { OAuthError } from "./oauth-error";

/**
 * The built-in scopes (docs/design.md, "Scopes and permissions", and the
 * current-user API's scopes), in plain words for the consent page.
 */
export const STANDARD_SCOPES = {
  openid: "Sign you in with your account",
  profile: "See your name",
  email: "See your email address",
  phone: "See your phone number",
  offline_access: "Stay connected when you are not using it (refresh tokens)",
  full_access: "Act as you with everything your account can do",
  "read:current_user": "See your account ID and the data apps store on your profile (user metadata)",
  "update:current_user_metadata": "Change your profile's app data (user metadata)",
} as const;

export type StandardScope = keyof typeof STANDARD_SCOPES;

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Splits a `scope` parameter into distinct scope tokens, in request order. */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  const scopes = value.split(" ").filter(Boolean);
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new OAuthError("invalid_scope", "scope contains characters that are not allowed");
  }
  return [...new Set(scopes)];
}

export function describeScope(scope: string): string {
  // Own keys only: a custom scope may be named "toString" or "constructor".
  return Object.hasOwn(STANDARD_SCOPES, scope) ? STANDARD_SCOPES[scope as StandardScope] : scope;
}

type ScopeRules = { allowedScopes: readonly string[]; clientType: ClientType; fullAccessAllowed: boolean };

/** Whether the app may be granted this scope: on its allowed list, and full_access only where the policy table and the app allow it. */
export function scopeAllowed(app: ScopeRules, scope: string): boolean {
  return app.allowedScopes.includes(scope) && (scope !== FULL_ACCESS || mayHoldFullAccess(app));
}

/**
 * An app may only be granted scopes on its allowed list (an owner setting);
 * `full_access` also needs the policy table and the app's own switch.
 * Anything else is refused with `invalid_scope` rather than silently dropped,
 * so a developer sees the misconfiguration at once.
 */
export function checkScopesAllowed(app: ScopeRules, scopes: string[]): void {
  const refused = scopes.filter((s) => !app.allowedScopes.includes(s));
  if (refused.length) {
    throw new OAuthError("invalid_scope", `This app is not allowed to request: ${refused.join(" ")}`);
  }
  if (scopes.some((s) => !scopeAllowed(app, s))) throw new OAuthError("invalid_scope", `This app may not request ${FULL_ACCESS}`);
}
