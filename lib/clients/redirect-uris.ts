import type { RedirectUriRule } from "./policy";

const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:", "ftp:", "ws:", "wss:"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const MAX_LENGTH = 2000;

export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

type Mode = "production" | "development";
interface Acceptance {
  /** http on 127.0.0.1, [::1] or localhost, any port (RFC 8252 §7.3). */
  loopbackHttp: boolean;
  /** Reverse-DNS private-use schemes such as com.example.app:/callback (RFC 8252 §7.1). */
  privateUseScheme: boolean;
}

/**
 * What each redirect-URI rule accepts besides https, in production and in
 * development mode. The checks below and every message about them read this
 * table, so no message can name an address the rule then refuses.
 */
export const REDIRECT_URI_ACCEPTANCE = {
  confidential: {
    production: { loopbackHttp: false, privateUseScheme: false },
    development: { loopbackHttp: true, privateUseScheme: false },
  },
  public: {
    production: { loopbackHttp: true, privateUseScheme: true },
    development: { loopbackHttp: true, privateUseScheme: true },
  },
} as const satisfies Record<Exclude<RedirectUriRule, "none">, Record<Mode, Acceptance>>;

const LOOPBACK_WORDS = "http on 127.0.0.1, [::1] or localhost (any port)";
const SCHEME_WORDS = "app schemes in reverse-DNS form such as com.example.app:/callback";

const modeOf = (options: { development: boolean }): Mode => (options.development ? "development" : "production");

/** What a rule accepts, in words: "https URLs, http on … or app schemes …", with what development mode would add. */
export function acceptedRedirectUris(rule: RedirectUriRule, options: { development: boolean }): string {
  if (rule === "none") return "no redirect URIs";
  const accepts = REDIRECT_URI_ACCEPTANCE[rule][modeOf(options)];
  const kinds = ["https URLs", ...(accepts.loopbackHttp ? [LOOPBACK_WORDS] : []), ...(accepts.privateUseScheme ? [SCHEME_WORDS] : [])];
  const words = kinds.length === 1 ? `only ${kinds[0]}` : `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
  const laterInDevelopment = !accepts.loopbackHttp && REDIRECT_URI_ACCEPTANCE[rule].development.loopbackHttp;
  return laterInDevelopment ? `${words} (${LOOPBACK_WORDS.replace(" (any port)", "")} too while the server runs in development mode)` : words;
}

/**
 * Checks one redirect URI against a client type's rule (the table above);
 * returns every reason it is refused, empty when it is acceptable.
 * Always refused: fragments (RFC 6749 §3.1.2), wildcards, user credentials,
 * script/data/file schemes, relative or unparsable URIs.
 */
export function redirectUriProblems(uri: string, rule: RedirectUriRule, options: { development: boolean }): string[] {
  if (rule === "none") return ["cannot be registered: machine clients have no authorization requests"];
  if (uri.length > MAX_LENGTH) return [`must be at most ${MAX_LENGTH} characters`];
  const problems: string[] = [];
  if (/\s/.test(uri)) problems.push("must not contain spaces");
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [...problems, "is not a valid absolute URI"];
  }
  if (uri.includes("#")) problems.push("must not contain a fragment (#)");
  if (uri.includes("*")) problems.push("must not contain wildcards (*)");
  if (url.username || url.password) problems.push("must not contain a user name or password");
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return [...problems, `must not use the ${url.protocol} scheme`];
  const scheme = schemeProblem(url, rule, options);
  return scheme ? [...problems, scheme] : problems;
}

/** The scheme and host against what the rule accepts in this mode. */
function schemeProblem(url: URL, rule: Exclude<RedirectUriRule, "none">, options: { development: boolean }): string | null {
  const accepts = REDIRECT_URI_ACCEPTANCE[rule][modeOf(options)];
  const refused = `must use https: ${rule} apps accept ${acceptedRedirectUris(rule, options)}`;
  if (url.protocol === "https:") return url.hostname ? null : "must name a host";
  if (url.protocol === "http:") {
    if (!accepts.loopbackHttp) return refused;
    return isLoopbackHttp(url) ? null : "must use https: http is accepted only on 127.0.0.1, [::1] or localhost";
  }
  // Anything else is a custom scheme: only native (public) apps may use one.
  if (!accepts.privateUseScheme) return refused;
  const scheme = url.protocol.slice(0, -1);
  if (!/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$/.test(scheme)) {
    return "a custom scheme must be reverse-DNS style, like com.example.app:/callback";
  }
  return null;
}

/** Every problem of a redirect URI in one sentence ("must …; must …"), or null when it is acceptable. */
export function redirectUriProblem(uri: string, rule: RedirectUriRule, options: { development: boolean }): string | null {
  const problems = redirectUriProblems(uri, rule, options);
  return problems.length ? problems.join("; ") : null;
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
