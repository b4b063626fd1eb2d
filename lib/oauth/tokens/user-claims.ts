
/**
 * The claims about the user that the consented scopes name (OIDC Core
 * §5.4): `profile` → name, `email` → email and email_verified. Used for ID
 * tokens and UserInfo alike. Email addresses are not verified by this
 * server yet, so email_verified is false.
 */
export function userClaims(user: { email: string; name: string | null }, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes("profile") && user.name) claims.name = user.name;
  if (scopes.includes("email")) {
    claims.email = user.email;
    claims.email_verified = false;
  }
  return claims;
}
