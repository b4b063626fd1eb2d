/**
 * A post-sign-in destination that can only be a path on this site: anything
 * else (absolute URLs, protocol-relative `//host`, backslash tricks) falls
 * back, so the sign-in page is never an open redirector.
 */
export function safeReturnPath(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return fallback;
  }
  try {
    const url = new URL(value, "http://internal.invalid");
    if (url.origin !== "http://internal.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
