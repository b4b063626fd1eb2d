import type { RedirectUriRule } from "./policy";

const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:", "ftp:", "ws:", "wss:"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const MAX_LENGTH = 2000;

export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Checks one redirect URI against a client type's rule; returns a readable
 * reason when it is refused, or null when it is acceptable.
 * - confidential: https only (http loopback only while the server runs in
 *   development mode);
 * - public: https, http loopback (RFC 8252 §7.3) and private-use schemes in
 *   reverse-DNS form (RFC 8252 §7.1, e.g. `com.example.app:/callback`).
 * Always refused: fragments (RFC 6749 §3.1.2), wildcards, user credentials,
 * script/data/file schemes, relative or unparsable URIs.
 */
export function redirectUriProblem(
  uri: string,
  rule: RedirectUriRule,
  options: { development: boolean },
): string | null {
  if (rule === "none") return "cannot be registered: machine clients have no authorization requests";
  if (uri.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  if (/\s/.test(uri)) return "must not contain spaces";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not a valid absolute URI";
  }
  if (uri.includes("#")) return "must not contain a fragment (#)";
  if (uri.includes("*")) return "must not contain wildcards (*)";
  if (url.username || url.password) return "must not contain a user name or password";
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;

  if (url.protocol === "https:") return url.hostname ? null : "must name a host";
  if (url.protocol === "http:") {
    if (!isLoopbackHttp(url)) return "must use https (http is allowed only for 127.0.0.1, [::1] or localhost)";
    if (rule === "public" || options.development) return null;
    return "must use https (http://localhost is allowed for this app type only while the server runs in development mode)";
  }
  // Anything else is a custom scheme: only native (public) apps may use one.
  if (rule === "confidential") return "must use https";
  const scheme = url.protocol.slice(0, -1);
  if (!/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$/.test(scheme)) {
    return "a custom scheme must be reverse-DNS style, like com.example.app:/callback";
  }
  return null;
}

/**
 * Whether a requested redirect URI matches a registered one: exact string
 * match, except that loopback http URIs match with any port (RFC 8252 §7.3).
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  if (!isLoopbackHttp(a) || !isLoopbackHttp(b)) return false;
  a.port = "";
  b.port = "";
  return a.href === b.href && !requested.includes("#");
}
