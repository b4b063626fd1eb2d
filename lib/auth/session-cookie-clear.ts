/**
 * next-auth's session cookie, for ending a session outside next-auth's own
 * sign-out route (OpenID Connect RP-Initiated Logout). next-auth 4 names it
 * `next-auth.session-token`, with the `__Secure-` prefix when it uses secure
 * cookies (lib/auth/options.ts: when the issuer is https). A JWT too large
 * for one cookie is split into `<name>.0`, `<name>.1`, …, and next-auth reads
 * (and clears) every cookie whose name starts with the name
 * (next-auth/core/lib/cookie.js, SessionStore), so this does the same.
 */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

/** The names of the session cookies (whole or chunked) a request carries. */
export function sessionCookiesIn(cookieHeader: string | null, secure: boolean): string[] {
  if (!cookieHeader) return [];
  const base = sessionCookieName(secure);
  const names = new Set<string>();
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (name.startsWith(base)) names.add(name);
  }
  return [...names];
}

/**
 * `Set-Cookie` values that delete every session cookie the request carries,
 * with the attributes next-auth sets them with (a `__Secure-` cookie can only
 * be deleted by a `Secure` one). Only cookies the request carries: a request
 * without them has no session here to end.
 */
export function clearSessionCookies(cookieHeader: string | null, secure: boolean): string[] {
  return sessionCookiesIn(cookieHeader, secure).map(
    (name) => `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`,
  );
}
