/** Where a sign-in with no destination of its own ends: owners go on to the dashboard, everyone else to their account (app/signed-in). */
export const SIGNED_IN_PATH = "/signed-in";

/**
 * A post-sign-in destination that can only be a path on this site: anything
 * else (absolute URLs, protocol-relative `//host`, backslash tricks) falls
 * back, so the sign-in page is never an open redirector.
 */
export function safeReturnPath(value: unknown, fallback = SIGNED_IN_PATH): string {
  if (typeof value !== "string" || !isLocalPath(value)) return fallback;
  try {
    const url = new URL(value, "http://internal.invalid");
    const path = url.pathname + url.search + url.hash;
    // Normalising dot segments can turn "/.//evil.example" into "//evil.example".
    return url.origin === "http://internal.invalid" && isLocalPath(path) ? path : fallback;
  } catch {
    return fallback;
  }
}

function isLocalPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !value.includes("\\");
}
