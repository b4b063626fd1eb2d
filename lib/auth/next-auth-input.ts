/**
 * Requests next-auth answers with a 500 although the fault is the caller's,
 * answered here first (the route handler calls this before next-auth):
 * - a credentials callback that is not a POST: next-auth says "Callback for
 *   provider type credentials not supported" with a 500; it is a 405;
 * - a `callbackUrl` (query or next-auth's callback-url cookie) that is not an
 *   http(s) URL: next-auth's configuration check fails with a 500 on every
 *   endpoint but its own pages; back to the sign-in page, as for a value a
 *   header cannot carry.
 */
export function refuseNextAuthInput(request: Request): Response | null {
  const url = new URL(request.url);
  if (request.method !== "POST" && /\/callback\/credentials\/?$/.test(url.pathname)) {
    return new Response(null, { status: 405, headers: { Allow: "POST", "Cache-Control": "no-store" } });
  }
  const callbackUrls = [url.searchParams.get("callbackUrl"), ...callbackUrlCookies(request.headers.get("cookie"))];
  if (callbackUrls.some((value) => value && !isHttpUrl(value, url.origin))) {
    return new Response(null, { status: 303, headers: { Location: "/signin?error=Default", "Cache-Control": "no-store" } });
  }
  return null;
}

/** next-auth's own test (core/lib/assert.js): a path against the base, else an absolute http(s) URL. */
function isHttpUrl(value: string, base: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/** The values of next-auth's callback-url cookies (`next-auth.callback-url`, `__Secure-next-auth.callback-url`), decoded as next-auth reads them. */
function callbackUrlCookies(header: string | null): string[] {
  if (!header) return [];
  return header.split(";").flatMap((pair) => {
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    if (eq < 0 || (name !== "next-auth.callback-url" && name !== "__Secure-next-auth.callback-url")) return [];
    const value = pair.slice(eq + 1).trim();
    try {
      return [decodeURIComponent(value)];
    } catch {
      return [value];
    }
  });
}
